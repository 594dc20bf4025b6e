// `npm run test:stress`: the suites that take minutes (fuzzing, concurrency, kills). They use the
// same databases as `npm test` and may start the built server (`dist/`) as child processes.
import { availableParallelism } from "node:os";
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";

// mergeConfig concatenates arrays: the base's include and exclude (which leaves test/stress out) must go first.
const { include: _include, exclude: _exclude, ...baseTest } = base.test ?? {};

export default mergeConfig(
  { ...base, test: baseTest },
  defineConfig({
    test: {
      include: ["test/stress/**/*.test.ts"],
      exclude: ["node_modules/**"],
      // Not the base's speed-ups: these suites measure latency and kill processes, so as before one file
      // less than the cores at a time (one on 2 cores), each with its own freshly loaded modules.
      maxWorkers: Math.max(1, availableParallelism() - 1),
      isolate: true,
      testTimeout: 600_000,
      hookTimeout: 300_000,
    },
  }),
);
