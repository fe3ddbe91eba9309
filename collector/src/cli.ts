#!/usr/bin/env node
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "./config.js";
import { startCollector } from "./server.js";
import { openStore } from "./store/clickhouse.js";
import { migrate } from "./store/migrate.js";

const USAGE = `Usage: vigil <command>

Commands:
  serve                  start the collector (HTTP API, agent gateway, storage)
  migrate                apply database migrations and exit
  backup [--out FILE]    write the embedded store to FILE (default vigil-backup-<time>.tar.zst);
                         the collector must be stopped
  restore --from FILE    replace the embedded store with a backup; the collector must be stopped
  report sla --client ID --from ISO --to ISO [--site ID] [--host ID] [--hours business|all]
             [--format json|csv|pdf] [--out FILE] [--url URL]
                         an SLA and downtime-cost report, fetched from the running collector
  report fleet --from ISO --to ISO [--hours business|all] [--format json|csv] [--out FILE]
                         every client's SLA figures, for the MSP
  user create --username NAME (--admin | --role ROLE) [--client ID]
                         a dashboard user (roles: admin, technician, vcio, viewer; a viewer
                         needs --client); the password comes from VIGIL_USER_PASSWORD or stdin
  user list              the dashboard users
  user passwd --username NAME
                         set a user's password (ends their sessions)

Configuration comes from the environment (VIGIL_PORT, VIGIL_DATA_DIR, VIGIL_CLICKHOUSE_URL, ...); see deploy/README.md.`;

/** Entry point of the `vigil` command. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      help: { type: "boolean", short: "h" },
      out: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      client: { type: "string" },
      site: { type: "string" },
      host: { type: "string" },
      hours: { type: "string" },
      format: { type: "string" },
      url: { type: "string" },
      username: { type: "string" },
      admin: { type: "boolean" },
      role: { type: "string" },
    },
  });
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
      const { applied } = await migrate(store, config.retention, { cluster: config.clickhouse.kind === "remote" ? config.clickhouse.cluster : undefined });
      await store.close();
      console.log(applied.length > 0 ? `applied: ${applied.join(", ")}` : "database is up to date");
      return 0;
    }
    case "backup": {
      // Loaded on demand: only these two commands open chDB directly.
      const { backupEmbeddedStore } = await import("./operations/backup.js");
      const { defaultBackupName } = await import("./operations/archive-name.js");
      const r = await backupEmbeddedStore(config, typeof values.out === "string" ? values.out : defaultBackupName());
      console.log(`backup written: ${r.file} (${r.tables} tables, ${r.rows} rows, ${(r.bytes / 1048576).toFixed(1)} MB)\nrestore it with: vigil restore --from ${r.file}`);
      return 0;
    }
    case "restore": {
      if (typeof values.from !== "string") {
        console.error("restore needs --from FILE (a file written by vigil backup)");
        return 2;
      }
      const { restoreEmbeddedStore } = await import("./operations/restore.js");
      const r = await restoreEmbeddedStore(config, values.from);
      console.log(`restored ${r.tables} tables (${r.rows} rows) into ${config.dataDir}`);
      if (r.previous) console.log(`the replaced store is kept in ${r.previous}; delete it once the collector runs well on the restored data`);
      return 0;
    }
    case "report": {
      const { reportCommand } = await import("./report-cli.js");
      const text = (v: unknown) => (typeof v === "string" ? v : undefined);
      const o = values as Record<string, unknown>;
      return reportCommand(positionals[1], {
        client: text(o.client),
        from: text(o.from),
        to: text(o.to),
        site: text(o.site),
        host: text(o.host),
        hours: text(o.hours),
        format: text(o.format),
        out: text(o.out),
        url: text(o.url),
      }, config);
    }
    case "user": {
      const { userCommand } = await import("./user-cli.js");
      const o = values as Record<string, unknown>;
      const text = (v: unknown) => (typeof v === "string" ? v : undefined);
      return userCommand(positionals[1], { username: text(o.username), admin: o.admin === true, role: text(o.role), client: text(o.client), url: text(o.url) }, config);
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
