CREATE TABLE IF NOT EXISTS users_local ON CLUSTER vigil (
  id String,
  username String,
  username_key String,
  password_hash String,
  role LowCardinality(String),
  client_id String,
  disabled UInt8,
  created_at DateTime64(3, 'UTC'),
  created_by String,
  updated_at DateTime64(3, 'UTC'),
  deleted UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/users_local', '{replica}', version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS users ON CLUSTER vigil AS users_local
ENGINE = Distributed(vigil, vigil, users_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS sessions_local ON CLUSTER vigil (
  id String,
  user_id String,
  created_at DateTime64(3, 'UTC'),
  last_seen_at DateTime64(3, 'UTC'),
  expires_at DateTime64(3, 'UTC'),
  revoked UInt8,
  version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/sessions_local', '{replica}', version)
ORDER BY id
TTL toDateTime(expires_at) + INTERVAL 30 DAY;

CREATE TABLE IF NOT EXISTS sessions ON CLUSTER vigil AS sessions_local
ENGINE = Distributed(vigil, vigil, sessions_local, cityHash64(id));
