// `npm run test:stress`: the suites that take minutes (fuzzing, concurrency, kills). They use the
// same databases as `npm test` and may start the built server (`dist/`) as child processes.
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";

export default mergeConfig(base, defineConfig({
  test: {
    include: ["test/stress/**/*.test.ts"],
    exclude: ["node_modules/**"],
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
}));
