import { writeFileSync } from "node:fs";
import path from "node:path";
import { Session } from "chdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Params, Store } from "../../collector/src/store/clickhouse.js";
import { clusterSchemaMigrationsDdl } from "../../collector/src/store/cluster.js";
import { loadMigrations, migrate } from "../../collector/src/store/migrate.js";
import { freePort } from "../support/free-port.js";
import { cleanup, tempDir } from "../support/processes.js";

const retention = { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 };
const layout = { cluster: "vigil", database: "vigil" };

describe("cluster mode DDL (VIGIL_CLICKHOUSE_CLUSTER)", () => {
  describe("matches the reviewed snapshots", () => {
    // One file per migration: a new migration adds a snapshot (commit it); a change shows in review.
    for (const m of loadMigrations(retention, layout)) {
      it(m.name, async () => {
        await expect(`${m.statements.join(";\n\n")};\n`).toMatchFileSnapshot(path.join("__snapshots__", "cluster", `${m.name}.sql`));
      });
    }
    it("schema_migrations", async () => {
      await expect(`${clusterSchemaMigrationsDdl(layout)};\n`).toMatchFileSnapshot(path.join("__snapshots__", "cluster", "000_schema_migrations.sql"));
    });
  });

  describe("runs on the embedded engine as a one-node cluster", () => {
    // chDB has no Keeper, so it cannot run Replicated engines or ON CLUSTER (distributed DDL). It can
    // run everything else: the shard-local tables, the Distributed tables in front of them (the one
    // shard is this process) and the views between them. The store below removes only the two parts
    // that need Keeper, and records what it was asked to run.
    let dir: string;
    let session: Session;
    let store: Store;
    const received: string[] = [];

    beforeAll(async () => {
      dir = tempDir("cluster-ddl");
      // Nothing listens on this port: with it as the engine's own tcp_port, the shard counts as local.
      const port = await freePort();
      writeFileSync(
        path.join(dir, "cluster.xml"),
        `<clickhouse><tcp_port>${port}</tcp_port><remote_servers><vigil><shard><replica><host>127.0.0.1</host><port>${port}</port></replica></shard></vigil></remote_servers></clickhouse>`,
      );
      session = new Session(path.join(dir, "clickhouse"), { connectionArgs: [`--config-file=${path.join(dir, "cluster.xml")}`] });
      await session.queryAsync("CREATE DATABASE IF NOT EXISTS vigil");
      await session.queryAsync("USE vigil");
      store = oneNodeClusterStore(session, received);
    });
    afterAll(() => {
      session?.close();
      cleanup(dir);
    });

    it("applies every migration, emitting only cluster DDL", async () => {
      const { applied } = await migrate(store, retention, { cluster: "vigil" });
      expect(applied).toEqual(loadMigrations(retention).map((m) => m.name));
      const ddl = received.filter((s) => /^(CREATE|ALTER|DROP)\b/.test(s));
      expect(ddl.length).toBeGreaterThan(20);
      for (const s of ddl) expect(s, s.slice(0, 80)).toContain("ON CLUSTER vigil");
      for (const s of ddl.filter((d) => /^CREATE TABLE IF NOT EXISTS \w+_local /.test(d))) expect(s).toMatch(/ENGINE = Replicated\w*MergeTree\('\/clickhouse\/tables\/\{shard\}\/\{database\}\/\w+_local', '\{replica\}'/);

      const tables = await store.query<{ name: string; engine: string }>("SELECT name, engine FROM system.tables WHERE database = 'vigil'");
      const engine = new Map(tables.map((t) => [t.name, t.engine]));
      for (const t of ["clients", "agents", "health_samples", "metrics_raw", "metrics_1m", "metrics_1h", "checks_1m", "stored_seq", "agent_acks", "connection_events", "collector_runs"]) {
        expect(engine.get(t), t).toBe("Distributed");
        expect(engine.get(`${t}_local`), `${t}_local`).toMatch(/MergeTree$/);
      }
      expect(engine.get("metrics_1m_mv")).toBe("MaterializedView");
    });

    it("stores through the Distributed tables, and the views roll up on the shard", async () => {
      // The start of the last hour: recent enough for the raw TTL, both minutes in one hour.
      const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
      const row = (ts: number, value: number, seq: number) => ({
        client_id: "c1", site_id: "s1", agent_id: "a1", name: "cpu.utilization", labels: "{}", ts, value, boot_id: "b", seq, skew_ms: 0, received_at: ts,
      });
      await store.insert("metrics_raw", [row(base, 10, 1), row(base + 15_000, 20, 2), row(base + 60_000, 60, 3)]);
      const minutes = await store.query<{ avg: number; n: number }>(
        "SELECT sum(sum_value) / sum(count) AS avg, sum(count) AS n FROM metrics_1m WHERE agent_id = {a:String} GROUP BY ts ORDER BY ts",
        { a: "a1" },
      );
      expect(minutes.map((m) => [m.avg, Number(m.n)])).toEqual([[15, 2], [60, 1]]);
      const [seq] = await store.query<{ seq: number }>("SELECT max(seq) AS seq FROM stored_seq WHERE agent_id = {a:String} AND source = 'metrics_raw'", { a: "a1" });
      expect(Number(seq?.seq)).toBe(3);
      const local = await store.query<{ n: number }>("SELECT count() AS n FROM metrics_raw_local");
      expect(Number(local[0]?.n)).toBe(3);
    });

    it("reads configuration with FINAL through the Distributed table", async () => {
      const client = (name: string, version: number) => ({ id: "k1", name, timezone: "UTC", currency: "EUR", created_at: 0, updated_at: 0, deleted: 0, version });
      await store.insert("clients", [client("Old name", 1)]);
      await store.insert("clients", [client("New name", 2)]);
      expect(await store.query("SELECT name FROM clients FINAL WHERE id = 'k1'")).toEqual([{ name: "New name" }]);
    });

    it("is a no-op the second time, and moves TTLs on the local tables", async () => {
      expect((await migrate(store, retention, { cluster: "vigil" })).applied).toEqual([]);
      await migrate(store, { ...retention, rawDays: 7 }, { cluster: "vigil" });
      const [t] = await store.query<{ q: string }>("SELECT create_table_query AS q FROM system.tables WHERE database = 'vigil' AND name = 'metrics_raw_local'");
      expect(t?.q).toContain("toIntervalDay(7)");
      expect(received).toContain("ALTER TABLE metrics_raw_local ON CLUSTER vigil MODIFY TTL toDateTime(ts) + INTERVAL 7 DAY");
    });
  });
});

/**
 * A Store over a chDB session that runs cluster DDL on one node: it drops `ON CLUSTER` and turns
 * Replicated engines into their plain form (both need Keeper), and keeps everything else as emitted.
 */
function oneNodeClusterStore(session: Session, received: string[]): Store {
  const oneNode = (sql: string) =>
    sql.replace(/ ON CLUSTER \w+/g, "").replace(/Replicated(\w*MergeTree)\('[^']*', '[^']*'(?:, )?/g, "$1(");
  const run = async (sql: string, params: Params = {}) => {
    received.push(sql);
    return (await session.queryBindAsync(oneNode(sql), params, { format: "JSONEachRow" })).text();
  };
  return {
    kind: "remote",
    database: "vigil",
    async query<T>(sql: string, params?: Params) {
      return (await run(sql, params)).split("\n").filter(Boolean).map((l) => JSON.parse(l) as T);
    },
    async command(sql: string, params?: Params) {
      await run(sql, params);
    },
    async insert(table: string, rows: readonly object[]) {
      // Synchronous Distributed inserts, as the cluster profile in deploy/cluster/users.d/vigil.xml sets.
      const data = rows.map((r) => JSON.stringify(r)).join("\n");
      await session.queryAsync(`INSERT INTO ${table} SETTINGS insert_distributed_sync = 1, date_time_input_format = 'best_effort' FORMAT JSONEachRow\n${data}\n`);
    },
    async ping() {
      return true;
    },
    async close() {},
  };
}
