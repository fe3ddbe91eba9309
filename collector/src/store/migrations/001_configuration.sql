-- Configuration and identity. ReplacingMergeTree(version): an update is a new row with a higher
-- version; readers use FINAL. Ordered by id so the newest row per id wins.

CREATE TABLE IF NOT EXISTS clients (
  id String,
  name String,
  timezone LowCardinality(String),
  currency LowCardinality(String),
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC'),
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS sites (
  id String,
  client_id String,
  name String,
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC'),
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Only a SHA-256 of each secret is stored; the secret itself is shown once at creation.
CREATE TABLE IF NOT EXISTS enrollment_tokens (
  id String,
  client_id String,
  site_id String,
  token_hash String,
  expires_at DateTime64(3, 'UTC'),
  revoked_at Nullable(DateTime64(3, 'UTC')),
  created_at DateTime64(3, 'UTC'),
  created_by String,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS agents (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Connects, disconnects, goodbyes and refusals: the evidence for "agent stopped" versus "host down".
CREATE TABLE IF NOT EXISTS connection_events (
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
) ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (agent_id, at)
TTL toDateTime(at) + INTERVAL {{hourRollupDays}} DAY;

-- The collector's own life: its gaps are UNMONITORED time, never the client's downtime.
CREATE TABLE IF NOT EXISTS collector_runs (
  run_id String,
  started_at DateTime64(3, 'UTC'),
  heartbeat_at DateTime64(3, 'UTC'),
  stopped_at Nullable(DateTime64(3, 'UTC')),
  stop_reason String,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY run_id;
