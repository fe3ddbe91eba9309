-- Alerting: alerts and their lifecycle, the delivery log, and the configuration the alert engine reads
-- (channels, rules, routes with escalation, silences). State and configuration are versioned rows read
-- with FINAL; the delivery log is append-only. JSON columns are validated by the API before they are written.

-- One alert: a rule's condition on one subject, from firing to resolved. Deduplicated per rule and
-- subject: at most one open (firing or acknowledged) alert per (rule_id, subject_key).
CREATE TABLE IF NOT EXISTS alerts (
  id String,
  client_id String,
  site_id String,
  -- '' for a site alert.
  host_id String,
  rule_id String,
  rule_kind LowCardinality(String),
  -- What the alert is about, stable across the alert's life: host:<id>, site:<id>, check:<host>:<check>, ...
  subject_key String,
  subject_kind LowCardinality(String),
  subject_name String,
  severity LowCardinality(String),
  -- firing | acknowledged | resolved
  state LowCardinality(String),
  -- When the condition began (e.g. the connection was lost); created_at is when the alert fired.
  started_at DateTime64(3, 'UTC'),
  created_at DateTime64(3, 'UTC'),
  acknowledged_at Nullable(DateTime64(3, 'UTC')),
  acknowledged_by String,
  resolved_at Nullable(DateTime64(3, 'UTC')),
  resolved_by String,
  last_notified_at Nullable(DateTime64(3, 'UTC')),
  -- Highest escalation step notified (0 = the route's first channels).
  escalation_step UInt16,
  -- The site alert that stands for this host alert ('' when none): no repeats while it does.
  suppressed_by String,
  summary String CODEC(ZSTD(1)),
  updated_at DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (client_id, id);

-- The delivery log: one row per notification per channel, with every attempt (JSON array of
-- { at, durationMs, status?, error?, code? }) so a missed page can be traced.
CREATE TABLE IF NOT EXISTS alert_deliveries (
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
) ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (client_id, alert_id, at)
TTL toDateTime(at) + INTERVAL {{hourRollupDays}} DAY;

-- Where notifications go. client_id '' = a global channel (the MSP's own on-call). `config` holds the
-- secrets as given, since they must be sent; the API only ever shows redactChannel(config).
CREATE TABLE IF NOT EXISTS alert_channels (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Rules: a kind with its parameters (JSON), scoped globally, to a client, site, host or tag. The most
-- specific rule of a kind (and metric) wins for a host; built-in defaults apply below all of them.
CREATE TABLE IF NOT EXISTS alert_rules (
  id String,
  -- '' for a global rule; otherwise the client the scope belongs to.
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Routes: alerts of a client ('' = any) and severities (empty = all) go to channels at once, then to the
-- escalation steps (JSON [{ afterMinutes, channelIds }]) while nobody has acknowledged.
CREATE TABLE IF NOT EXISTS alert_routes (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Ad-hoc silences: no notification for matching alerts between starts_at and ends_at.
-- matcher JSON: { ruleKind?, ruleId?, severity?, subjectKey? }; scope as for rules.
CREATE TABLE IF NOT EXISTS alert_silences (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Keys the alerting code signs with (the ack-link key), shared by every collector of the deployment.
CREATE TABLE IF NOT EXISTS alert_keys (
  name String,
  value String,
  created_at DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY name;
