import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // type-graphql and Apollo load graphql as CommonJS; our sources must get the same copy, not the .mjs twin.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // The longer suites of issue 5 (fuzzing, concurrency, kills) run with `npm run test:stress`.
    exclude: ["test/stress/**", "node_modules/**"],
    globalSetup: ["test/support/global-setup.ts"],
    // key-hash-cost.ts: keys made in tests hash at a lower scrypt cost (see there).
    setupFiles: ["reflect-metadata", "test/support/key-hash-cost.ts"],
    // vitest's default is one worker less than the cores: on a 2-core machine one file at a time, while most
    // of a file's time is spent waiting for PostgreSQL, a child process or the network. One a core instead.
    maxWorkers: Math.max(3, availableParallelism() + 1),
    // Files of one worker share loaded modules instead of importing the app afresh (about 1.6 s a file).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
