import { describe, expect, it } from "vitest";
import { ClusterDdlError, clusterSchemaMigrationsDdl, toClusterDdl } from "./cluster.js";

const layout = { cluster: "vigil", database: "vigil" };
const one = (sql: string) => toClusterDdl([sql], layout);

describe("toClusterDdl", () => {
  it("turns a table into a replicated local table with a Distributed table in front, sharded by agent", () => {
    const [local, front] = one(`CREATE TABLE IF NOT EXISTS samples (
  client_id LowCardinality(String),
  agent_id String,
  ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  INDEX ts_idx ts TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (client_id, agent_id, ts)
TTL toDateTime(ts) + INTERVAL 30 DAY`);
    expect(local).toMatch(/^CREATE TABLE IF NOT EXISTS samples_local ON CLUSTER vigil \(/);
    expect(local).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/samples_local', '{replica}')\nPARTITION BY toDate(ts)");
    expect(local).toContain("TTL toDateTime(ts) + INTERVAL 30 DAY");
    expect(front).toBe("CREATE TABLE IF NOT EXISTS samples ON CLUSTER vigil AS samples_local\nENGINE = Distributed(vigil, vigil, samples_local, cityHash64(agent_id))");
  });

  it("keeps engine arguments after the replication path and shards configuration by id", () => {
    const [local, front] = one("CREATE TABLE IF NOT EXISTS clients (id String, version UInt64) ENGINE = ReplacingMergeTree(version)\nORDER BY id");
    expect(local).toContain("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/clients_local', '{replica}', version)");
    expect(front).toContain("cityHash64(id)");
  });

  it("points materialized views from the local source to the local target", () => {
    expect(one("CREATE MATERIALIZED VIEW IF NOT EXISTS m_mv TO m_1m AS\nSELECT agent_id, count() AS n FROM m_raw GROUP BY agent_id")).toEqual([
      "CREATE MATERIALIZED VIEW IF NOT EXISTS m_mv ON CLUSTER vigil TO m_1m_local AS\nSELECT agent_id, count() AS n FROM m_raw_local GROUP BY agent_id",
    ]);
  });

  it("alters the local table, and the Distributed one too when columns change", () => {
    expect(one("ALTER TABLE metrics_raw MODIFY TTL ts + INTERVAL 7 DAY")).toEqual(["ALTER TABLE metrics_raw_local ON CLUSTER vigil MODIFY TTL ts + INTERVAL 7 DAY"]);
    expect(one("ALTER TABLE agents ADD COLUMN IF NOT EXISTS os String DEFAULT ''")).toEqual([
      "ALTER TABLE agents_local ON CLUSTER vigil ADD COLUMN IF NOT EXISTS os String DEFAULT ''",
      "ALTER TABLE agents ON CLUSTER vigil ADD COLUMN IF NOT EXISTS os String DEFAULT ''",
    ]);
  });

  it("drops the Distributed table before the local one", () => {
    expect(one("DROP TABLE IF EXISTS old")).toEqual(["DROP TABLE IF EXISTS old ON CLUSTER vigil", "DROP TABLE IF EXISTS old_local ON CLUSTER vigil"]);
  });

  it("replicates the migrations ledger to every node", () => {
    expect(clusterSchemaMigrationsDdl(layout)).toContain("ReplicatedMergeTree('/clickhouse/tables/all/{database}/schema_migrations', '{replica}')");
  });

  const refused: Array<[string, string, RegExp]> = [
    ["an unknown statement", "OPTIMIZE TABLE x FINAL", /cannot translate/],
    ["a table without IF NOT EXISTS", "CREATE TABLE x (id String) ENGINE = MergeTree ORDER BY id", /expects "CREATE TABLE IF NOT EXISTS/],
    ["a non-MergeTree engine", "CREATE TABLE IF NOT EXISTS x (id String) ENGINE = Memory", /MergeTree-family engines only/],
    ["an already replicated engine", "CREATE TABLE IF NOT EXISTS x (id String) ENGINE = ReplicatedMergeTree ORDER BY id", /MergeTree-family engines only/],
    [
      "a keyed engine whose sharding column is not in ORDER BY",
      "CREATE TABLE IF NOT EXISTS x (agent_id String, k String, v UInt64) ENGINE = ReplacingMergeTree(v) ORDER BY k",
      /must have its sharding column agent_id in ORDER BY/,
    ],
    ["a view without TO", "CREATE MATERIALIZED VIEW IF NOT EXISTS v ENGINE = MergeTree ORDER BY a AS SELECT a FROM t", /expects "CREATE MATERIALIZED VIEW/],
    ["a view over a subquery", "CREATE MATERIALIZED VIEW IF NOT EXISTS v TO t AS SELECT a FROM (SELECT a FROM s)", /exactly one table/],
  ];
  for (const [what, sql, message] of refused) {
    it(`refuses ${what} with a permanent error`, () => {
      let err: unknown;
      try {
        one(sql);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ClusterDdlError);
      expect((err as ClusterDdlError).retryable).toBe(false);
      expect((err as Error).message).toMatch(message);
    });
  }

  it("refuses a cluster name that is not an identifier", () => {
    expect(() => toClusterDdl([], { cluster: "x; DROP", database: "vigil" })).toThrow(ClusterDdlError);
  });
});
