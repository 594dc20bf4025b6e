// `npm run test:stress`: the suites that take minutes (fuzzing, concurrency, kills). They use the
// same databases as `npm test` and may start the built server (`dist/`) as child processes.
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";

// mergeConfig concatenates arrays: the base's include and exclude (which leaves test/stress out) must go first.
const { include: _include, exclude: _exclude, ...baseTest } = base.test ?? {};

export default mergeConfig({ ...base, test: baseTest }, defineConfig({
  test: {
    include: ["test/stress/**/*.test.ts"],
    exclude: ["node_modules/**"],
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
}));
