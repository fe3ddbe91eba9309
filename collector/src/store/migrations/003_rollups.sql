-- 1-minute and 1-hour rollups, filled by materialized views in the same INSERT as the raw rows.
-- Long ranges read these instead of raw data; they outlive raw data (see retention settings).

CREATE TABLE IF NOT EXISTS metrics_1m (
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
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, site_id, agent_id, name, labels, ts)
TTL ts + INTERVAL {{minuteRollupDays}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS metrics_1m_mv TO metrics_1m AS
SELECT client_id, site_id, agent_id, name, labels, toStartOfMinute(ts) AS ts,
       min(value) AS min_value, max(value) AS max_value, sum(value) AS sum_value, count() AS count
FROM metrics_raw GROUP BY client_id, site_id, agent_id, name, labels, ts;

CREATE TABLE IF NOT EXISTS metrics_1h (
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
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, site_id, agent_id, name, labels, ts)
TTL ts + INTERVAL {{hourRollupDays}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS metrics_1h_mv TO metrics_1h AS
SELECT client_id, site_id, agent_id, name, labels, toStartOfHour(ts) AS ts,
       min(value) AS min_value, max(value) AS max_value, sum(value) AS sum_value, count() AS count
FROM metrics_raw GROUP BY client_id, site_id, agent_id, name, labels, ts;

CREATE TABLE IF NOT EXISTS checks_1m (
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
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, site_id, agent_id, check_id, role, ts)
TTL ts + INTERVAL {{minuteRollupDays}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS checks_1m_mv TO checks_1m AS
SELECT client_id, site_id, agent_id, check_id, role, toStartOfMinute(ts) AS ts,
       count() AS runs, countIf(ok = 0) AS failures,
       sumIf(assumeNotNull(latency_ms), latency_ms IS NOT NULL) AS latency_sum,
       countIf(latency_ms IS NOT NULL) AS latency_count,
       maxIf(assumeNotNull(latency_ms), latency_ms IS NOT NULL) AS latency_max,
       sumIf(assumeNotNull(loss_pct), loss_pct IS NOT NULL) AS loss_sum
FROM check_results GROUP BY client_id, site_id, agent_id, check_id, role, ts;

CREATE TABLE IF NOT EXISTS checks_1h (
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
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, site_id, agent_id, check_id, role, ts)
TTL ts + INTERVAL {{hourRollupDays}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS checks_1h_mv TO checks_1h AS
SELECT client_id, site_id, agent_id, check_id, role, toStartOfHour(ts) AS ts,
       count() AS runs, countIf(ok = 0) AS failures,
       sumIf(assumeNotNull(latency_ms), latency_ms IS NOT NULL) AS latency_sum,
       countIf(latency_ms IS NOT NULL) AS latency_count,
       maxIf(assumeNotNull(latency_ms), latency_ms IS NOT NULL) AS latency_max,
       sumIf(assumeNotNull(loss_pct), loss_pct IS NOT NULL) AS loss_sum
FROM check_results GROUP BY client_id, site_id, agent_id, check_id, role, ts;
