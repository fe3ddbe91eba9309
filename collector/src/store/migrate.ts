import { readdirSync, readFileSync } from "node:fs";
import type { RetentionConfig } from "../config.js";
import type { Store } from "./clickhouse.js";
import { clusterSchemaMigrationsDdl, localTable, toClusterDdl, type ClusterLayout } from "./cluster.js";
import { StoreError } from "./errors.js";

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);

/** A numbered SQL migration file. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** Where migrations create their tables: one server (the default) or a named ClickHouse cluster. */
export interface MigrateOptions {
  /** VIGIL_CLICKHOUSE_CLUSTER: emit ON CLUSTER, Replicated local tables and Distributed tables in front. */
  cluster?: string;
}

/** Applies every migration not yet applied, in order, then brings TTLs in line with the retention settings. */
export async function migrate(store: Store, retention: RetentionConfig, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const layout: ClusterLayout | undefined = options.cluster ? { cluster: options.cluster, database: store.database } : undefined;
  await store.command(
    layout
      ? clusterSchemaMigrationsDdl(layout)
      : `CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at DateTime64(3, 'UTC'))
     ENGINE = MergeTree ORDER BY version`,
  );
  const done = new Set(
    (await store.query<{ version: number }>("SELECT version FROM schema_migrations")).map((r) => Number(r.version)),
  );
  const applied: string[] = [];
  for (const m of loadMigrations(retention, layout)) {
    if (done.has(m.version)) continue;
    for (const sql of m.statements) await store.command(sql);
    await store.insert("schema_migrations", [{ version: m.version, name: m.name, applied_at: Date.now() }]);
    applied.push(m.name);
  }
  await applyRetention(store, retention, layout);
  return { applied };
}

/** Reads the migration files, with retention placeholders filled in; rewritten for a cluster when given one. */
export function loadMigrations(retention: RetentionConfig, layout?: ClusterLayout): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(new URL(file, MIGRATIONS_DIR), "utf8");
      const statements = splitStatements(fill(text, retention));
      return { version: Number(file.slice(0, 3)), name: file.replace(/\.sql$/, ""), statements: layout ? toClusterDdl(statements, layout) : statements };
    });
}

// Which retention setting governs each table's TTL, and the TTL expression it uses.
const TTL_TABLES: Array<{ table: string; setting: keyof RetentionConfig; expr: (days: number) => string }> = [
  { table: "metrics_raw", setting: "rawDays", expr: (d) => `toDateTime(ts) + INTERVAL ${d} DAY` },
  { table: "check_results", setting: "rawDays", expr: (d) => `toDateTime(ts) + INTERVAL ${d} DAY` },
  { table: "metrics_1m", setting: "minuteRollupDays", expr: (d) => `ts + INTERVAL ${d} DAY` },
  { table: "checks_1m", setting: "minuteRollupDays", expr: (d) => `ts + INTERVAL ${d} DAY` },
  { table: "metrics_1h", setting: "hourRollupDays", expr: (d) => `ts + INTERVAL ${d} DAY` },
  { table: "checks_1h", setting: "hourRollupDays", expr: (d) => `ts + INTERVAL ${d} DAY` },
  { table: "health_samples", setting: "hourRollupDays", expr: (d) => `toDateTime(ts) + INTERVAL ${d} DAY` },
];

/** Changes table TTLs when the retention settings differ from what the tables were created with. */
async function applyRetention(store: Store, retention: RetentionConfig, layout?: ClusterLayout): Promise<void> {
  const rows = await store.query<{ name: string; create_table_query: string }>(
    "SELECT name, create_table_query FROM system.tables WHERE database = currentDatabase()",
  );
  const ddl = new Map(rows.map((r) => [r.name, r.create_table_query]));
  for (const { table, setting, expr } of TTL_TABLES) {
    const days = retention[setting];
    if (!Number.isInteger(days) || days < 1) throw new StoreError(`retention ${setting} must be a positive integer`, false);
    // On a cluster the TTL lives on the shard-local table (this node's copy tells what the cluster has).
    if (ddl.get(layout ? localTable(table) : table)?.includes(`toIntervalDay(${days})`)) continue;
    const alter = `ALTER TABLE ${table} MODIFY TTL ${expr(days)}`;
    for (const sql of layout ? toClusterDdl([alter], layout) : [alter]) await store.command(sql);
  }
}

function fill(sql: string, retention: RetentionConfig): string {
  return sql.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = (retention as unknown as Record<string, unknown>)[key];
    if (!Number.isInteger(value)) throw new StoreError(`migration placeholder {{${key}}} has no integer value`, false);
    return String(value);
  });
}

/** Splits a file into statements at semicolons that end a line; strips comment lines. */
export function splitStatements(sql: string): string[] {
  return sql
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n")
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
