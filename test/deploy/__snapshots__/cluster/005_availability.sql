CREATE TABLE IF NOT EXISTS client_policies_local ON CLUSTER vigil (
  client_id String,
  policy String CODEC(ZSTD(1)),
  updated_at DateTime64(3, 'UTC'),
  updated_by String,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/client_policies_local', '{replica}', version)
ORDER BY client_id;

CREATE TABLE IF NOT EXISTS client_policies ON CLUSTER vigil AS client_policies_local
ENGINE = Distributed(vigil, vigil, client_policies_local, cityHash64(client_id));

CREATE TABLE IF NOT EXISTS site_settings_local ON CLUSTER vigil (
  site_id String,
  client_id String,
  timezone String,
  updated_at DateTime64(3, 'UTC'),
  updated_by String,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/site_settings_local', '{replica}', version)
ORDER BY site_id;

CREATE TABLE IF NOT EXISTS site_settings ON CLUSTER vigil AS site_settings_local
ENGINE = Distributed(vigil, vigil, site_settings_local, cityHash64(site_id));

CREATE TABLE IF NOT EXISTS host_profiles_local ON CLUSTER vigil (
  agent_id String,
  client_id String,
  role String,
  tier LowCardinality(String),
  criticality LowCardinality(String),
  business_share Nullable(Float64),
  tags Array(String),
  updated_at DateTime64(3, 'UTC'),
  updated_by String,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/host_profiles_local', '{replica}', version)
ORDER BY agent_id;

CREATE TABLE IF NOT EXISTS host_profiles ON CLUSTER vigil AS host_profiles_local
ENGINE = Distributed(vigil, vigil, host_profiles_local, cityHash64(agent_id));

CREATE TABLE IF NOT EXISTS maintenance_windows_local ON CLUSTER vigil (
  id String,
  client_id String,
  scope_level LowCardinality(String),
  scope_id String,
  definition String CODEC(ZSTD(1)),
  reason String,
  planned UInt8,
  created_at DateTime64(3, 'UTC'),
  created_by String,
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/maintenance_windows_local', '{replica}', version)
ORDER BY (client_id, id);

CREATE TABLE IF NOT EXISTS maintenance_windows ON CLUSTER vigil AS maintenance_windows_local
ENGINE = Distributed(vigil, vigil, maintenance_windows_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS incident_annotations_local ON CLUSTER vigil (
  incident_id String,
  client_id String,
  host_id String,
  note String,
  excluded UInt8,
  exclusion_reason String,
  acknowledged_at Nullable(DateTime64(3, 'UTC')),
  acknowledged_by String,
  updated_at DateTime64(3, 'UTC'),
  updated_by String,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/incident_annotations_local', '{replica}', version)
ORDER BY (client_id, incident_id);

CREATE TABLE IF NOT EXISTS incident_annotations ON CLUSTER vigil AS incident_annotations_local
ENGINE = Distributed(vigil, vigil, incident_annotations_local, cityHash64(client_id));

CREATE TABLE IF NOT EXISTS audit_log_local ON CLUSTER vigil (
  at DateTime64(3, 'UTC'),
  actor String,
  client_id String,
  entity LowCardinality(String),
  entity_id String,
  action LowCardinality(String),
  detail String CODEC(ZSTD(1))
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/audit_log_local', '{replica}')
ORDER BY (client_id, at);

CREATE TABLE IF NOT EXISTS audit_log ON CLUSTER vigil AS audit_log_local
ENGINE = Distributed(vigil, vigil, audit_log_local, cityHash64(client_id));

CREATE TABLE IF NOT EXISTS health_runs_local ON CLUSTER vigil (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  boot_id String,
  start DateTime64(3, 'UTC'),
  end DateTime64(3, 'UTC'),
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/health_runs_local', '{replica}', version)
ORDER BY (client_id, agent_id, start)
TTL toDateTime(end) + INTERVAL 730 DAY;

CREATE TABLE IF NOT EXISTS health_runs ON CLUSTER vigil AS health_runs_local
ENGINE = Distributed(vigil, vigil, health_runs_local, cityHash64(agent_id));

CREATE TABLE IF NOT EXISTS job_marks_local ON CLUSTER vigil (
  job String,
  mark DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/job_marks_local', '{replica}', version)
ORDER BY job;

CREATE TABLE IF NOT EXISTS job_marks ON CLUSTER vigil AS job_marks_local
ENGINE = Distributed(vigil, vigil, job_marks_local, cityHash64(job));

CREATE TABLE IF NOT EXISTS report_runs_local ON CLUSTER vigil (
  id String,
  client_id String,
  kind LowCardinality(String),
  label String,
  params String CODEC(ZSTD(1)),
  report String CODEC(ZSTD(3)),
  created_at DateTime64(3, 'UTC'),
  created_by String,
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/report_runs_local', '{replica}', version)
ORDER BY (client_id, id);

CREATE TABLE IF NOT EXISTS report_runs ON CLUSTER vigil AS report_runs_local
ENGINE = Distributed(vigil, vigil, report_runs_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS report_deliveries_local ON CLUSTER vigil (
  at DateTime64(3, 'UTC'),
  client_id String,
  cadence LowCardinality(String),
  period_from DateTime64(3, 'UTC'),
  period_to DateTime64(3, 'UTC'),
  recipients Array(String),
  status LowCardinality(String),
  error String
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/report_deliveries_local', '{replica}')
ORDER BY (client_id, at);

CREATE TABLE IF NOT EXISTS report_deliveries ON CLUSTER vigil AS report_deliveries_local
ENGINE = Distributed(vigil, vigil, report_deliveries_local, cityHash64(client_id));
