import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Unit tests import the protocol from source; system tests under test/ spawn the built packages.
export default defineConfig({
  resolve: {
    alias: { "@vigil/protocol": fileURLToPath(new URL("./protocol/src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["{protocol,agent,collector,dashboard,test}/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    // chDB binds one data directory per process, so every test file gets its own process.
    pool: "forks",
    // Most system tests wait on child processes and timers rather than burn CPU, so two files at a time fit
    // a 2-core machine and keep `npm test` near 6 minutes instead of 12.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
