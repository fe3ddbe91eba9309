CREATE TABLE IF NOT EXISTS health_samples_local ON CLUSTER vigil (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  boot_id LowCardinality(String),
  seq UInt64 CODEC(Delta, ZSTD(1)),
  skew_ms Int32 CODEC(ZSTD(1)),
  received_at DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(DoubleDelta, ZSTD(1)),
  INDEX seq_idx seq TYPE minmax GRANULARITY 1,
  INDEX stored_idx stored_at TYPE minmax GRANULARITY 1
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/health_samples_local', '{replica}')
PARTITION BY toDate(ts)
ORDER BY (client_id, agent_id, ts)
TTL toDateTime(ts) + INTERVAL 730 DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS health_samples ON CLUSTER vigil AS health_samples_local
ENGINE = Distributed(vigil, vigil, health_samples_local, cityHash64(agent_id));

CREATE TABLE IF NOT EXISTS metrics_raw_local ON CLUSTER vigil (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  name LowCardinality(String),
  labels LowCardinality(String),
  ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  value Float64 CODEC(Gorilla, ZSTD(1)),
  boot_id LowCardinality(String),
  seq UInt64 CODEC(Delta, ZSTD(1)),
  skew_ms Int32 CODEC(ZSTD(1)),
  received_at DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(DoubleDelta, ZSTD(1)),
  INDEX seq_idx seq TYPE minmax GRANULARITY 1,
  INDEX stored_idx stored_at TYPE minmax GRANULARITY 1
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/metrics_raw_local', '{replica}')
PARTITION BY toDate(ts)
ORDER BY (client_id, agent_id, name, labels, ts)
TTL toDateTime(ts) + INTERVAL 30 DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS metrics_raw ON CLUSTER vigil AS metrics_raw_local
ENGINE = Distributed(vigil, vigil, metrics_raw_local, cityHash64(agent_id));

CREATE TABLE IF NOT EXISTS check_results_local ON CLUSTER vigil (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  check_id LowCardinality(String),
  check_type LowCardinality(String),
  role LowCardinality(String),
  target String CODEC(ZSTD(1)),
  ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  ok UInt8,
  latency_ms Nullable(Float64) CODEC(Gorilla, ZSTD(1)),
  loss_pct Nullable(Float64) CODEC(Gorilla, ZSTD(1)),
  status UInt16,
  error String CODEC(ZSTD(1)),
  boot_id LowCardinality(String),
  seq UInt64 CODEC(Delta, ZSTD(1)),
  skew_ms Int32 CODEC(ZSTD(1)),
  received_at DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(DoubleDelta, ZSTD(1)),
  INDEX seq_idx seq TYPE minmax GRANULARITY 1,
  INDEX stored_idx stored_at TYPE minmax GRANULARITY 1
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/check_results_local', '{replica}')
PARTITION BY toDate(ts)
ORDER BY (client_id, agent_id, check_id, ts)
TTL toDateTime(ts) + INTERVAL 30 DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS check_results ON CLUSTER vigil AS check_results_local
ENGINE = Distributed(vigil, vigil, check_results_local, cityHash64(agent_id));

CREATE TABLE IF NOT EXISTS spool_losses_local ON CLUSTER vigil (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  ts DateTime64(3, 'UTC'),
  dropped_batches UInt64,
  dropped_bytes UInt64,
  first_dropped_seq UInt64,
  last_dropped_seq UInt64,
  oldest_ts Nullable(DateTime64(3, 'UTC')),
  newest_ts Nullable(DateTime64(3, 'UTC')),
  boot_id LowCardinality(String),
  seq UInt64,
  received_at DateTime64(3, 'UTC'),
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(DoubleDelta, ZSTD(1)),
  INDEX seq_idx seq TYPE minmax GRANULARITY 1,
  INDEX stored_idx stored_at TYPE minmax GRANULARITY 1
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/spool_losses_local', '{replica}')
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, agent_id, ts)
TTL toDateTime(ts) + INTERVAL 730 DAY;

CREATE TABLE IF NOT EXISTS spool_losses ON CLUSTER vigil AS spool_losses_local
ENGINE = Distributed(vigil, vigil, spool_losses_local, cityHash64(agent_id));

CREATE TABLE IF NOT EXISTS stored_seq_local ON CLUSTER vigil (
  agent_id String,
  source LowCardinality(String),
  seq SimpleAggregateFunction(max, UInt64),
  last_ts SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
  last_received SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
) ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/stored_seq_local', '{replica}')
ORDER BY (agent_id, source);

CREATE TABLE IF NOT EXISTS stored_seq ON CLUSTER vigil AS stored_seq_local
ENGINE = Distributed(vigil, vigil, stored_seq_local, cityHash64(agent_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS stored_seq_health_samples_mv ON CLUSTER vigil TO stored_seq_local AS
SELECT agent_id, 'health_samples' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
FROM health_samples_local GROUP BY agent_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS stored_seq_metrics_raw_mv ON CLUSTER vigil TO stored_seq_local AS
SELECT agent_id, 'metrics_raw' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
FROM metrics_raw_local GROUP BY agent_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS stored_seq_check_results_mv ON CLUSTER vigil TO stored_seq_local AS
SELECT agent_id, 'check_results' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
FROM check_results_local GROUP BY agent_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS stored_seq_spool_losses_mv ON CLUSTER vigil TO stored_seq_local AS
SELECT agent_id, 'spool_losses' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
FROM spool_losses_local GROUP BY agent_id;

CREATE TABLE IF NOT EXISTS agent_acks_local ON CLUSTER vigil (
  agent_id String,
  seq SimpleAggregateFunction(max, UInt64)
) ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/agent_acks_local', '{replica}')
ORDER BY agent_id;

CREATE TABLE IF NOT EXISTS agent_acks ON CLUSTER vigil AS agent_acks_local
ENGINE = Distributed(vigil, vigil, agent_acks_local, cityHash64(agent_id));
