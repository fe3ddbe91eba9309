CREATE TABLE IF NOT EXISTS alerts_local ON CLUSTER vigil (
  id String,
  client_id String,
  site_id String,
  host_id String,
  rule_id String,
  rule_kind LowCardinality(String),
  subject_key String,
  subject_kind LowCardinality(String),
  subject_name String,
  severity LowCardinality(String),
  state LowCardinality(String),
  started_at DateTime64(3, 'UTC'),
  created_at DateTime64(3, 'UTC'),
  acknowledged_at Nullable(DateTime64(3, 'UTC')),
  acknowledged_by String,
  resolved_at Nullable(DateTime64(3, 'UTC')),
  resolved_by String,
  last_notified_at Nullable(DateTime64(3, 'UTC')),
  escalation_step UInt16,
  suppressed_by String,
  summary String CODEC(ZSTD(1)),
  updated_at DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/alerts_local', '{replica}', version)
ORDER BY (client_id, id);

CREATE TABLE IF NOT EXISTS alerts ON CLUSTER vigil AS alerts_local
ENGINE = Distributed(vigil, vigil, alerts_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS alert_deliveries_local ON CLUSTER vigil (
  at DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  client_id String,
  alert_id String,
  channel_id String,
  channel_type LowCardinality(String),
  event LowCardinality(String),
  delivery_id String,
  ok UInt8,
  attempt_count UInt16,
  attempts String CODEC(ZSTD(1)),
  error String CODEC(ZSTD(1))
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/alert_deliveries_local', '{replica}')
PARTITION BY toYYYYMM(at)
ORDER BY (client_id, alert_id, at)
TTL toDateTime(at) + INTERVAL 730 DAY;

CREATE TABLE IF NOT EXISTS alert_deliveries ON CLUSTER vigil AS alert_deliveries_local
ENGINE = Distributed(vigil, vigil, alert_deliveries_local, cityHash64(client_id));

CREATE TABLE IF NOT EXISTS alert_channels_local ON CLUSTER vigil (
  id String,
  client_id String,
  name String,
  type LowCardinality(String),
  config String CODEC(ZSTD(1)),
  enabled UInt8,
  created_at DateTime64(3, 'UTC'),
  created_by String,
  updated_at DateTime64(3, 'UTC'),
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/alert_channels_local', '{replica}', version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS alert_channels ON CLUSTER vigil AS alert_channels_local
ENGINE = Distributed(vigil, vigil, alert_channels_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS alert_rules_local ON CLUSTER vigil (
  id String,
  client_id String,
  scope_level LowCardinality(String),
  scope_id String,
  name String,
  kind LowCardinality(String),
  params String CODEC(ZSTD(1)),
  severity LowCardinality(String),
  enabled UInt8,
  created_at DateTime64(3, 'UTC'),
  created_by String,
  updated_at DateTime64(3, 'UTC'),
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/alert_rules_local', '{replica}', version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS alert_rules ON CLUSTER vigil AS alert_rules_local
ENGINE = Distributed(vigil, vigil, alert_rules_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS alert_routes_local ON CLUSTER vigil (
  id String,
  client_id String,
  name String,
  severities Array(LowCardinality(String)),
  channel_ids Array(String),
  escalation String CODEC(ZSTD(1)),
  enabled UInt8,
  created_at DateTime64(3, 'UTC'),
  created_by String,
  updated_at DateTime64(3, 'UTC'),
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/alert_routes_local', '{replica}', version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS alert_routes ON CLUSTER vigil AS alert_routes_local
ENGINE = Distributed(vigil, vigil, alert_routes_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS alert_silences_local ON CLUSTER vigil (
  id String,
  client_id String,
  scope_level LowCardinality(String),
  scope_id String,
  matcher String CODEC(ZSTD(1)),
  starts_at DateTime64(3, 'UTC'),
  ends_at DateTime64(3, 'UTC'),
  reason String,
  created_at DateTime64(3, 'UTC'),
  created_by String,
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/alert_silences_local', '{replica}', version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS alert_silences ON CLUSTER vigil AS alert_silences_local
ENGINE = Distributed(vigil, vigil, alert_silences_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS alert_keys_local ON CLUSTER vigil (
  name String,
  value String,
  created_at DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/alert_keys_local', '{replica}', version)
ORDER BY name;

CREATE TABLE IF NOT EXISTS alert_keys ON CLUSTER vigil AS alert_keys_local
ENGINE = Distributed(vigil, vigil, alert_keys_local, cityHash64(name));
