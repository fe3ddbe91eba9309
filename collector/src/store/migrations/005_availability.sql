-- Availability: what reports are computed from besides telemetry (settings, maintenance, what people
-- said about incidents), the settled runs of health samples, frozen reports and the audit trail.
-- Settings are JSON validated by the availability core before they are written (one place for the rules).

-- A client's SLA target, business calendar, cost model and report delivery. Absent = defaults.
CREATE TABLE IF NOT EXISTS client_policies (
  client_id String,
  -- JSON: { sloPct?, businessCalendar?: { weekly, holidays? } | "24x7", costModel?, reportRecipients?, reportSchedule? }
  policy String CODEC(ZSTD(1)),
  updated_at DateTime64(3, 'UTC'),
  updated_by String,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY client_id;

-- A site's time zone when it differs from its client's.
CREATE TABLE IF NOT EXISTS site_settings (
  site_id String,
  client_id String,
  timezone String,
  updated_at DateTime64(3, 'UTC'),
  updated_by String,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY site_id;

-- What a host means to the business: its role, tier, criticality and the share of the business it
-- takes down (NULL = an equal share of the client's hosts).
CREATE TABLE IF NOT EXISTS host_profiles (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY agent_id;

-- Planned (or, with planned = 0, recorded afterwards with a reason) maintenance. `definition` is the
-- availability core's MaintenanceWindow as JSON. Deleting writes a row with deleted = 1.
CREATE TABLE IF NOT EXISTS maintenance_windows (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY (client_id, id);

-- What people recorded about an incident (by its stable id `<hostId>@<start ms>`).
CREATE TABLE IF NOT EXISTS incident_annotations (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY (client_id, incident_id);

-- Who changed what and when: every change to settings that move SLA figures.
CREATE TABLE IF NOT EXISTS audit_log (
  at DateTime64(3, 'UTC'),
  actor String,
  client_id String,
  entity LowCardinality(String),
  entity_id String,
  action LowCardinality(String),
  -- JSON: { before, after } of the entity.
  detail String CODEC(ZSTD(1))
) ENGINE = MergeTree
ORDER BY (client_id, at);

-- Settled runs of health samples: consecutive samples of one boot no further apart than the gap
-- threshold, merged. Long reports read these instead of every 15-second sample. Maintained by the
-- settler from samples as they are stored; a run that grows or merges is rewritten under its start,
-- and a run swallowed by another is tombstoned (deleted = 1).
CREATE TABLE IF NOT EXISTS health_runs (
  client_id LowCardinality(String),
  site_id LowCardinality(String),
  agent_id String,
  boot_id String,
  start DateTime64(3, 'UTC'),
  end DateTime64(3, 'UTC'),
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (client_id, agent_id, start)
TTL toDateTime(end) + INTERVAL {{hourRollupDays}} DAY;

-- How far a background job has got (the settler: samples stored up to `mark`).
CREATE TABLE IF NOT EXISTS job_marks (
  job String,
  mark DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY job;

-- Frozen report runs: the inputs and the figures as generated, so a QBR figure can be shown again after
-- the raw data has aged out. Never expires.
CREATE TABLE IF NOT EXISTS report_runs (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY (client_id, id);

-- Scheduled report emails: one row per attempt, so a missed QBR email can be traced.
CREATE TABLE IF NOT EXISTS report_deliveries (
  at DateTime64(3, 'UTC'),
  client_id String,
  cadence LowCardinality(String),
  period_from DateTime64(3, 'UTC'),
  period_to DateTime64(3, 'UTC'),
  recipients Array(String),
  status LowCardinality(String),
  error String
) ENGINE = MergeTree
ORDER BY (client_id, at);
