import { StoreError } from "./errors.js";

/** Where Vigil's tables live on a ClickHouse cluster (VIGIL_CLICKHOUSE_CLUSTER). */
export interface ClusterLayout {
  /** Cluster name as defined in the servers' remote_servers. */
  cluster: string;
  /** The Vigil database (VIGIL_CLICKHOUSE_DATABASE). */
  database: string;
}

/** Suffix of the shard-local table behind each Distributed table. */
export const LOCAL_SUFFIX = "_local";

/**
 * A migration statement that cluster mode cannot translate. Permanent: the migration has to be written
 * in one of the forms `toClusterDdl` knows (or this file taught a new one).
 */
export class ClusterDdlError extends StoreError {
  constructor(message: string) {
    super(message, false);
    this.name = "ClusterDdlError";
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Engines whose merges collapse rows with the same ORDER BY key: those rows must share a shard.
const KEYED_ENGINES = /^(Replacing|Aggregating|Collapsing|VersionedCollapsing|Summing)MergeTree$/;

/**
 * Rewrites single-server migration statements for a cluster, so the migration files stay the one
 * source of truth:
 *
 * - `CREATE TABLE t (...) ENGINE = XMergeTree(args) ...` becomes a shard-local `t_local ON CLUSTER`
 *   with `ReplicatedXMergeTree('/clickhouse/tables/{shard}/{database}/t_local', '{replica}', args)`,
 *   plus `t` as a `Distributed` table in front of it; every query and insert keeps using `t`.
 * - Sharding: everything about one agent (host) lives on one shard, `cityHash64(agent_id)`, and the
 *   configuration tables by `cityHash64(id)`, so FINAL and per-agent aggregation stay shard-local.
 * - `CREATE MATERIALIZED VIEW v TO t AS SELECT ... FROM s` becomes `v ON CLUSTER TO t_local ... FROM
 *   s_local`: each shard rolls up the rows it stores itself.
 * - `ALTER TABLE t` goes to `t_local` (TTL, settings, indexes) and, for column changes, to `t` as well.
 */
export function toClusterDdl(statements: readonly string[], layout: ClusterLayout): string[] {
  checkLayout(layout);
  return statements.flatMap((sql) => translate(sql.trim(), layout));
}

/** DDL of the migrations ledger on a cluster: one copy on every node, not sharded. */
export function clusterSchemaMigrationsDdl(layout: ClusterLayout): string {
  checkLayout(layout);
  // No {shard} in the path: all nodes form one replica set, so any collector sees every applied migration.
  return `CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER ${layout.cluster} (version UInt32, name String, applied_at DateTime64(3, 'UTC'))
     ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/schema_migrations', '{replica}') ORDER BY version`;
}

/** Name of the table that physically holds the rows of `table` in cluster mode. */
export function localTable(table: string): string {
  return table + LOCAL_SUFFIX;
}

function checkLayout(layout: ClusterLayout): void {
  if (!IDENT.test(layout.cluster)) throw new ClusterDdlError(`cluster name must be a plain identifier, got ${JSON.stringify(layout.cluster)}`);
  if (!IDENT.test(layout.database)) throw new ClusterDdlError(`database name must be a plain identifier, got ${JSON.stringify(layout.database)}`);
}

function translate(sql: string, layout: ClusterLayout): string[] {
  const head = sql.replace(/\s+/g, " ").slice(0, 60).toUpperCase();
  if (head.startsWith("CREATE TABLE")) return createTable(sql, layout);
  if (head.startsWith("CREATE MATERIALIZED VIEW")) return [materializedView(sql, layout)];
  if (head.startsWith("CREATE VIEW")) return [onCluster(sql, /^CREATE VIEW (?:IF NOT EXISTS )?\w+/i, layout)];
  if (head.startsWith("ALTER TABLE")) return alterTable(sql, layout);
  if (head.startsWith("DROP TABLE")) return dropTable(sql, layout);
  if (head.startsWith("DROP VIEW")) return [onCluster(sql, /^DROP VIEW (?:IF EXISTS )?\w+/i, layout)];
  // Data statements go through the Distributed tables like any insert.
  if (head.startsWith("INSERT INTO")) return [sql];
  throw new ClusterDdlError(`cluster mode cannot translate this migration statement: ${sql.slice(0, 120)}`);
}

function createTable(sql: string, layout: ClusterLayout): string[] {
  const m = /^CREATE TABLE IF NOT EXISTS (\w+)\s*\(([\s\S]*)\)\s*ENGINE\s*=\s*(\w+)(?:\(([^)]*)\))?([\s\S]*)$/i.exec(sql);
  if (!m) throw new ClusterDdlError(`cluster mode expects "CREATE TABLE IF NOT EXISTS name (...) ENGINE = ...", got: ${sql.slice(0, 120)}`);
  const [, table, columns, engine, engineArgs, rest] = m as unknown as [string, string, string, string, string | undefined, string];
  if (!/^\w*MergeTree$/.test(engine) || engine.startsWith("Replicated")) {
    throw new ClusterDdlError(`${table}: cluster mode replicates MergeTree-family engines only, got ${engine}`);
  }
  const local = localTable(table);
  const replicatedArgs = [`'/clickhouse/tables/{shard}/{database}/${local}'`, `'{replica}'`, ...(engineArgs?.trim() ? [engineArgs.trim()] : [])];
  const key = shardingKey(table, columns, engine, rest);
  return [
    `CREATE TABLE IF NOT EXISTS ${local} ON CLUSTER ${layout.cluster} (${columns}) ENGINE = Replicated${engine}(${replicatedArgs.join(", ")})${rest}`,
    `CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER ${layout.cluster} AS ${local}\nENGINE = Distributed(${layout.cluster}, ${layout.database}, ${local}, ${key})`,
  ];
}

/** cityHash64 of the agent (host) or the row id: a column every version of a row shares. */
function shardingKey(table: string, columns: string, engine: string, rest: string): string {
  const names = new Set(
    columns
      .split("\n")
      .map((line) => /^\s*([A-Za-z_][A-Za-z0-9_]*)\s/.exec(line)?.[1])
      .filter((n): n is string => n !== undefined && !["INDEX", "PROJECTION", "CONSTRAINT"].includes(n.toUpperCase())),
  );
  const orderBy = /ORDER BY\s*(\([^)]*\)|[A-Za-z_][A-Za-z0-9_]*)/i.exec(rest)?.[1]?.replace(/[()]/g, "").split(",").map((s) => s.trim()) ?? [];
  const column = ["agent_id", "id"].find((c) => names.has(c)) ?? orderBy[0];
  if (!column || !names.has(column)) throw new ClusterDdlError(`${table}: no column to shard by (expected agent_id, id, or an ORDER BY column)`);
  if (KEYED_ENGINES.test(engine) && !orderBy.includes(column)) {
    // Rows merged by key must meet on one shard, or FINAL and the rollups would see duplicates.
    throw new ClusterDdlError(`${table}: ${engine} must have its sharding column ${column} in ORDER BY`);
  }
  return `cityHash64(${column})`;
}

function materializedView(sql: string, layout: ClusterLayout): string {
  const m = /^CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+)\s+TO\s+(\w+)(\s+AS\b[\s\S]*)$/i.exec(sql);
  if (!m) throw new ClusterDdlError(`cluster mode expects "CREATE MATERIALIZED VIEW IF NOT EXISTS name TO table AS SELECT ...", got: ${sql.slice(0, 120)}`);
  const [, view, target, select] = m as unknown as [string, string, string, string];
  const sources = [...select.matchAll(/\bFROM\s+(\(|\w+)/gi)].map((s) => s[1]);
  if (sources.length !== 1 || sources[0] === "(") {
    throw new ClusterDdlError(`${view}: cluster mode supports materialized views over exactly one table (no subqueries)`);
  }
  // The view fires on the shard-local inserts and writes the shard-local target. Tables it JOINs stay
  // the Distributed ones, so a lookup sees every shard.
  const localSelect = select.replace(/\bFROM\s+(\w+)/i, (_, t: string) => `FROM ${localTable(t)}`);
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} ON CLUSTER ${layout.cluster} TO ${localTable(target)}${localSelect}`;
}

// Column changes must reach both the local table and the Distributed one in front of it.
const COLUMN_CHANGE = /^\s*(ADD|DROP|MODIFY|RENAME|COMMENT|CLEAR)\s+COLUMN\b/i;

function alterTable(sql: string, layout: ClusterLayout): string[] {
  const m = /^ALTER TABLE (\w+)\s+([\s\S]*)$/i.exec(sql);
  if (!m) throw new ClusterDdlError(`cluster mode expects "ALTER TABLE name ...", got: ${sql.slice(0, 120)}`);
  const [, table, change] = m as unknown as [string, string, string];
  const statements = [`ALTER TABLE ${localTable(table)} ON CLUSTER ${layout.cluster} ${change}`];
  if (COLUMN_CHANGE.test(change)) statements.push(`ALTER TABLE ${table} ON CLUSTER ${layout.cluster} ${change}`);
  return statements;
}

function dropTable(sql: string, layout: ClusterLayout): string[] {
  const m = /^DROP TABLE (IF EXISTS )?(\w+)(.*)$/is.exec(sql);
  if (!m) throw new ClusterDdlError(`cluster mode expects "DROP TABLE [IF EXISTS] name", got: ${sql.slice(0, 120)}`);
  const [, ifExists = "", table, tail] = m as unknown as [string, string | undefined, string, string];
  // The Distributed table first: nothing may route inserts to a local table that is going away.
  return [table, localTable(table)].map((t) => `DROP TABLE ${ifExists}${t} ON CLUSTER ${layout.cluster}${tail}`);
}

function onCluster(sql: string, namePart: RegExp, layout: ClusterLayout): string {
  const m = namePart.exec(sql);
  if (!m) throw new ClusterDdlError(`cluster mode cannot translate: ${sql.slice(0, 120)}`);
  return `${m[0]} ON CLUSTER ${layout.cluster}${sql.slice(m[0].length)}`;
}
