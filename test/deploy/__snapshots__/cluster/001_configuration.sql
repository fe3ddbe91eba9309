CREATE TABLE IF NOT EXISTS clients_local ON CLUSTER vigil (
  id String,
  name String,
  timezone LowCardinality(String),
  currency LowCardinality(String),
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC'),
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/clients_local', '{replica}', version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS clients ON CLUSTER vigil AS clients_local
ENGINE = Distributed(vigil, vigil, clients_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS sites_local ON CLUSTER vigil (
  id String,
  client_id String,
  name String,
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC'),
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/sites_local', '{replica}', version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS sites ON CLUSTER vigil AS sites_local
ENGINE = Distributed(vigil, vigil, sites_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS enrollment_tokens_local ON CLUSTER vigil (
  id String,
  client_id String,
  site_id String,
  token_hash String,
  expires_at DateTime64(3, 'UTC'),
  revoked_at Nullable(DateTime64(3, 'UTC')),
  created_at DateTime64(3, 'UTC'),
  created_by String,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/enrollment_tokens_local', '{replica}', version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS enrollment_tokens ON CLUSTER vigil AS enrollment_tokens_local
ENGINE = Distributed(vigil, vigil, enrollment_tokens_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS agents_local ON CLUSTER vigil (
  id String,
  client_id String,
  site_id String,
  hostname String,
  machine_id String,
  token_hash String,
  agent_version String,
  os_platform LowCardinality(String),
  os_release String,
  os_arch LowCardinality(String),
  enrollment_token_id String,
  enrolled_at DateTime64(3, 'UTC'),
  revoked_at Nullable(DateTime64(3, 'UTC')),
  updated_at DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/agents_local', '{replica}', version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS agents ON CLUSTER vigil AS agents_local
ENGINE = Distributed(vigil, vigil, agents_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS connection_events_local ON CLUSTER vigil (
  at DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  agent_id String,
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  event LowCardinality(String),
  reason LowCardinality(String),
  detail String CODEC(ZSTD(1)),
  remote_addr String CODEC(ZSTD(1)),
  boot_id String CODEC(ZSTD(1)),
  agent_version LowCardinality(String),
  collector_id LowCardinality(String)
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/connection_events_local', '{replica}')
PARTITION BY toYYYYMM(at)
ORDER BY (agent_id, at)
TTL toDateTime(at) + INTERVAL 730 DAY;

CREATE TABLE IF NOT EXISTS connection_events ON CLUSTER vigil AS connection_events_local
ENGINE = Distributed(vigil, vigil, connection_events_local, cityHash64(agent_id));

CREATE TABLE IF NOT EXISTS collector_runs_local ON CLUSTER vigil (
  run_id String,
  started_at DateTime64(3, 'UTC'),
  heartbeat_at DateTime64(3, 'UTC'),
  stopped_at Nullable(DateTime64(3, 'UTC')),
  stop_reason String,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/collector_runs_local', '{replica}', version)
ORDER BY run_id;

CREATE TABLE IF NOT EXISTS collector_runs ON CLUSTER vigil AS collector_runs_local
ENGINE = Distributed(vigil, vigil, collector_runs_local, cityHash64(run_id));
