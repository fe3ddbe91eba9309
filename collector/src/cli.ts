#!/usr/bin/env node
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "./config.js";
import { startCollector } from "./server.js";
import { openStore } from "./store/clickhouse.js";
import { migrate } from "./store/migrate.js";

const USAGE = `Usage: vigil <command>

Commands:
  serve     start the collector (HTTP API, agent gateway, storage)
  migrate   apply database migrations and exit

Configuration comes from the environment (VIGIL_PORT, VIGIL_DATA_DIR, VIGIL_CLICKHOUSE_URL, ...); see README.md.`;

/** Entry point of the `vigil` command. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { help: { type: "boolean", short: "h" } } });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  switch (command) {
    case "serve": {
      const collector = await startCollector(config);
      if (collector.generatedAdminToken) {
        // Shown once, outside the JSON log stream, so it never lands in log storage.
        process.stderr.write(`\nAdmin token (saved to ${collector.adminTokenFile}, shown once):\n  ${collector.generatedAdminToken}\n\n`);
      }
      const stop = (signal: string) => {
        collector.close(signal).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
      return -1;
    }
    case "migrate": {
      const store = await openStore(config.clickhouse);
      const { applied } = await migrate(store, config.retention);
      await store.close();
      console.log(applied.length > 0 ? `applied: ${applied.join(", ")}` : "database is up to date");
      return 0;
    }
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    const retry = (err as { retryable?: boolean }).retryable;
    console.error(`vigil: ${(err as Error).message}${err instanceof ConfigError ? "" : retry ? " (temporary; retrying may help)" : ""}`);
    process.exit(1);
  },
);
