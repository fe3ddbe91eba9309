CREATE TABLE IF NOT EXISTS metrics_1m_local ON CLUSTER vigil (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  name LowCardinality(String),
  labels LowCardinality(String),
  ts DateTime('UTC') CODEC(DoubleDelta, ZSTD(1)),
  min_value SimpleAggregateFunction(min, Float64),
  max_value SimpleAggregateFunction(max, Float64),
  sum_value SimpleAggregateFunction(sum, Float64),
  count SimpleAggregateFunction(sum, UInt64)
) ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/metrics_1m_local', '{replica}')
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, site_id, agent_id, name, labels, ts)
TTL ts + INTERVAL 90 DAY;

CREATE TABLE IF NOT EXISTS metrics_1m ON CLUSTER vigil AS metrics_1m_local
ENGINE = Distributed(vigil, vigil, metrics_1m_local, cityHash64(agent_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS metrics_1m_mv ON CLUSTER vigil TO metrics_1m_local AS
SELECT client_id, site_id, agent_id, name, labels, toStartOfMinute(ts) AS ts,
       min(value) AS min_value, max(value) AS max_value, sum(value) AS sum_value, count() AS count
FROM metrics_raw_local GROUP BY client_id, site_id, agent_id, name, labels, ts;

CREATE TABLE IF NOT EXISTS metrics_1h_local ON CLUSTER vigil (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  name LowCardinality(String),
  labels LowCardinality(String),
  ts DateTime('UTC') CODEC(DoubleDelta, ZSTD(1)),
  min_value SimpleAggregateFunction(min, Float64),
  max_value SimpleAggregateFunction(max, Float64),
  sum_value SimpleAggregateFunction(sum, Float64),
  count SimpleAggregateFunction(sum, UInt64)
) ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/metrics_1h_local', '{replica}')
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, site_id, agent_id, name, labels, ts)
TTL ts + INTERVAL 730 DAY;

CREATE TABLE IF NOT EXISTS metrics_1h ON CLUSTER vigil AS metrics_1h_local
ENGINE = Distributed(vigil, vigil, metrics_1h_local, cityHash64(agent_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS metrics_1h_mv ON CLUSTER vigil TO metrics_1h_local AS
SELECT client_id, site_id, agent_id, name, labels, toStartOfHour(ts) AS ts,
       min(value) AS min_value, max(value) AS max_value, sum(value) AS sum_value, count() AS count
FROM metrics_raw_local GROUP BY client_id, site_id, agent_id, name, labels, ts;

CREATE TABLE IF NOT EXISTS checks_1m_local ON CLUSTER vigil (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  check_id LowCardinality(String),
  role LowCardinality(String),
  ts DateTime('UTC') CODEC(DoubleDelta, ZSTD(1)),
  runs SimpleAggregateFunction(sum, UInt64),
  failures SimpleAggregateFunction(sum, UInt64),
  latency_sum SimpleAggregateFunction(sum, Float64),
  latency_count SimpleAggregateFunction(sum, UInt64),
  latency_max SimpleAggregateFunction(max, Float64),
  loss_sum SimpleAggregateFunction(sum, Float64)
) ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/checks_1m_local', '{replica}')
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, site_id, agent_id, check_id, role, ts)
TTL ts + INTERVAL 90 DAY;

CREATE TABLE IF NOT EXISTS checks_1m ON CLUSTER vigil AS checks_1m_local
ENGINE = Distributed(vigil, vigil, checks_1m_local, cityHash64(agent_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS checks_1m_mv ON CLUSTER vigil TO checks_1m_local AS
SELECT client_id, site_id, agent_id, check_id, role, toStartOfMinute(ts) AS ts,
       count() AS runs, countIf(ok = 0) AS failures,
       sumIf(assumeNotNull(latency_ms), latency_ms IS NOT NULL) AS latency_sum,
       countIf(latency_ms IS NOT NULL) AS latency_count,
       maxIf(assumeNotNull(latency_ms), latency_ms IS NOT NULL) AS latency_max,
       sumIf(assumeNotNull(loss_pct), loss_pct IS NOT NULL) AS loss_sum
FROM check_results_local GROUP BY client_id, site_id, agent_id, check_id, role, ts;

CREATE TABLE IF NOT EXISTS checks_1h_local ON CLUSTER vigil (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  check_id LowCardinality(String),
  role LowCardinality(String),
  ts DateTime('UTC') CODEC(DoubleDelta, ZSTD(1)),
  runs SimpleAggregateFunction(sum, UInt64),
  failures SimpleAggregateFunction(sum, UInt64),
  latency_sum SimpleAggregateFunction(sum, Float64),
  latency_count SimpleAggregateFunction(sum, UInt64),
  latency_max SimpleAggregateFunction(max, Float64),
  loss_sum SimpleAggregateFunction(sum, Float64)
) ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/checks_1h_local', '{replica}')
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, site_id, agent_id, check_id, role, ts)
TTL ts + INTERVAL 730 DAY;

CREATE TABLE IF NOT EXISTS checks_1h ON CLUSTER vigil AS checks_1h_local
ENGINE = Distributed(vigil, vigil, checks_1h_local, cityHash64(agent_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS checks_1h_mv ON CLUSTER vigil TO checks_1h_local AS
SELECT client_id, site_id, agent_id, check_id, role, toStartOfHour(ts) AS ts,
       count() AS runs, countIf(ok = 0) AS failures,
       sumIf(assumeNotNull(latency_ms), latency_ms IS NOT NULL) AS latency_sum,
       countIf(latency_ms IS NOT NULL) AS latency_count,
       maxIf(assumeNotNull(latency_ms), latency_ms IS NOT NULL) AS latency_max,
       sumIf(assumeNotNull(loss_pct), loss_pct IS NOT NULL) AS loss_sum
FROM check_results_local GROUP BY client_id, site_id, agent_id, check_id, role, ts;
