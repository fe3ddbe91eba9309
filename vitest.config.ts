import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Unit tests import the protocol from source; system tests under test/ spawn the built packages.
export default defineConfig({
  resolve: {
    alias: { "@vigil/protocol": fileURLToPath(new URL("./protocol/src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["{protocol,agent,collector,test}/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    // chDB binds one data directory per process, so every test file gets its own process.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
