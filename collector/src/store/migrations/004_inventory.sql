-- Inventory: what each host is (hardware, OS, software, services). Agents send a document only when its
-- content changed. Both tables below are written from batches, so their rows carry the batch seq and the
-- stored_at column the gateway's exactly-once rule relies on (see 002_telemetry.sql).

-- Every document received, for change detection and hardware first-seen dates. Kept five years.
CREATE TABLE IF NOT EXISTS inventory_history (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  boot_id LowCardinality(String),
  hash String,
  hostname String,
  os_distro LowCardinality(String),
  os_release String,
  memory_bytes UInt64,
  software_count UInt32,
  document String CODEC(ZSTD(3)),
  raw_bytes UInt32,
  encoded_bytes UInt32,
  parts UInt8,
  seq UInt64 CODEC(Delta, ZSTD(1)),
  skew_ms Int32 CODEC(ZSTD(1)),
  received_at DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(DoubleDelta, ZSTD(1)),
  INDEX seq_idx seq TYPE minmax GRANULARITY 1,
  INDEX stored_idx stored_at TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, agent_id, ts)
TTL toDateTime(ts) + INTERVAL 1825 DAY;

-- The newest document per host (the highest seq wins), with the fields fleet search filters on.
CREATE TABLE IF NOT EXISTS inventory_latest (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  ts DateTime64(3, 'UTC'),
  boot_id LowCardinality(String),
  hash String,
  hostname String,
  os_platform LowCardinality(String),
  os_distro LowCardinality(String),
  os_release String,
  os_id LowCardinality(String),
  os_version_id String,
  os_build String,
  os_kernel String,
  os_arch LowCardinality(String),
  manufacturer String,
  model String,
  serial String,
  virtual UInt8,
  bios_date String,
  cpu_brand String,
  cpu_cores UInt32,
  memory_bytes UInt64,
  software_names Array(String) CODEC(ZSTD(3)),
  software_versions Array(String) CODEC(ZSTD(3)),
  document String CODEC(ZSTD(3)),
  raw_bytes UInt32,
  encoded_bytes UInt32,
  parts UInt8,
  seq UInt64,
  skew_ms Int32,
  received_at DateTime64(3, 'UTC'),
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX seq_idx seq TYPE minmax GRANULARITY 1,
  INDEX stored_idx stored_at TYPE minmax GRANULARITY 1
) ENGINE = ReplacingMergeTree(seq)
ORDER BY (client_id, agent_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS stored_seq_inventory_history_mv TO stored_seq AS
SELECT agent_id, 'inventory_history' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
FROM inventory_history GROUP BY agent_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS stored_seq_inventory_latest_mv TO stored_seq AS
SELECT agent_id, 'inventory_latest' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
FROM inventory_latest GROUP BY agent_id;

-- What changed between two consecutive documents of a host. Derived from inventory_history (it can always
-- be computed again), so rows are keyed and collapse when a comparison is stored twice: read with FINAL.
CREATE TABLE IF NOT EXISTS inventory_changes (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  seq UInt64,
  prev_seq UInt64,
  ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  prev_ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  category LowCardinality(String),
  change LowCardinality(String),
  item String,
  before String CODEC(ZSTD(1)),
  after String CODEC(ZSTD(1))
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (client_id, agent_id, seq, category, change, item)
TTL toDateTime(ts) + INTERVAL 1825 DAY;

-- Which documents have been compared with their predecessor (written after their changes).
CREATE TABLE IF NOT EXISTS inventory_diffs (
  client_id LowCardinality(String),
  agent_id String,
  seq UInt64,
  prev_seq UInt64,
  ts DateTime64(3, 'UTC'),
  changes UInt32,
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY (client_id, agent_id, seq);
