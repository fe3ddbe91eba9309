-- Raw telemetry from agents. Every row carries the agent's batch sequence number: the gateway stores
-- a batch into a table only when its seq is above the highest seq that table already holds for the
-- agent, which is what makes resent batches land exactly once.

-- One row per health record: the "host was running" evidence availability is computed from.
CREATE TABLE IF NOT EXISTS health_samples (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  boot_id LowCardinality(String),
  seq UInt64 CODEC(Delta, ZSTD(1)),
  skew_ms Int32 CODEC(ZSTD(1)),
  received_at DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  -- Set by ClickHouse at insert time: after a crash, the rows of the last flush are found through it.
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(DoubleDelta, ZSTD(1)),
  INDEX seq_idx seq TYPE minmax GRANULARITY 1,
  INDEX stored_idx stored_at TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (client_id, agent_id, ts)
TTL toDateTime(ts) + INTERVAL {{hourRollupDays}} DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS metrics_raw (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  name LowCardinality(String),
  -- Canonical JSON of the label set (keys sorted), '{}' when there are none.
  labels LowCardinality(String),
  ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  value Float64 CODEC(Gorilla, ZSTD(1)),
  boot_id LowCardinality(String),
  seq UInt64 CODEC(Delta, ZSTD(1)),
  skew_ms Int32 CODEC(ZSTD(1)),
  received_at DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  -- Set by ClickHouse at insert time: after a crash, the rows of the last flush are found through it.
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(DoubleDelta, ZSTD(1)),
  INDEX seq_idx seq TYPE minmax GRANULARITY 1,
  INDEX stored_idx stored_at TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (client_id, agent_id, name, labels, ts)
TTL toDateTime(ts) + INTERVAL {{rawDays}} DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS check_results (
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
  -- Set by ClickHouse at insert time: after a crash, the rows of the last flush are found through it.
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(DoubleDelta, ZSTD(1)),
  INDEX seq_idx seq TYPE minmax GRANULARITY 1,
  INDEX stored_idx stored_at TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (client_id, agent_id, check_id, ts)
TTL toDateTime(ts) + INTERVAL {{rawDays}} DAY
SETTINGS ttl_only_drop_parts = 1;

-- The agent's spool overflowed: samples in this span were lost on the client machine, never silently.
CREATE TABLE IF NOT EXISTS spool_losses (
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
  -- Set by ClickHouse at insert time: after a crash, the rows of the last flush are found through it.
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(DoubleDelta, ZSTD(1)),
  INDEX seq_idx seq TYPE minmax GRANULARITY 1,
  INDEX stored_idx stored_at TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, agent_id, ts)
TTL toDateTime(ts) + INTERVAL {{hourRollupDays}} DAY;

-- Highest stored seq and last-seen times per agent and table, maintained by the views below in the
-- same INSERT as the data. It is the fast lower bound for the exact per-table high-water mark.
CREATE TABLE IF NOT EXISTS stored_seq (
  agent_id String,
  source LowCardinality(String),
  seq SimpleAggregateFunction(max, UInt64),
  last_ts SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
  last_received SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
) ENGINE = AggregatingMergeTree
ORDER BY (agent_id, source);

CREATE MATERIALIZED VIEW IF NOT EXISTS stored_seq_health_samples_mv TO stored_seq AS
SELECT agent_id, 'health_samples' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
FROM health_samples GROUP BY agent_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS stored_seq_metrics_raw_mv TO stored_seq AS
SELECT agent_id, 'metrics_raw' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
FROM metrics_raw GROUP BY agent_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS stored_seq_check_results_mv TO stored_seq AS
SELECT agent_id, 'check_results' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
FROM check_results GROUP BY agent_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS stored_seq_spool_losses_mv TO stored_seq AS
SELECT agent_id, 'spool_losses' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
FROM spool_losses GROUP BY agent_id;

-- Highest seq acknowledged to each agent. Written in a flush after the batch's own rows, so it can
-- only lag behind the data (the agent then resends a little, and the marks above skip it), never lead.
CREATE TABLE IF NOT EXISTS agent_acks (
  agent_id String,
  seq SimpleAggregateFunction(max, UInt64)
) ENGINE = AggregatingMergeTree
ORDER BY agent_id;
