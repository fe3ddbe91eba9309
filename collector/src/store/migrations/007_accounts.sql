-- Dashboard accounts: people who log in with a username and password, and their sessions.
-- Versioned rows read with FINAL, like every other configuration table.

-- A dashboard user. username_key (the lower-cased username) is what uniqueness is checked on, so
-- "Alice" and "alice" cannot both exist. password_hash is scrypt with its parameters encoded
-- (scrypt$N$r$p$salt$hash) and never leaves the collector. client_id is the one client a viewer sees
-- ('' for other roles). Deleting writes a row with deleted = 1.
CREATE TABLE IF NOT EXISTS users (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- A login session. id is the sha256 (hex) of the session token the browser holds in its cookie; the
-- token itself is never stored. last_seen_at is refreshed at most every few minutes (idle expiry).
-- Rows are kept a while after they end, for the record, then dropped.
CREATE TABLE IF NOT EXISTS sessions (
  id String,
  user_id String,
  created_at DateTime64(3, 'UTC'),
  last_seen_at DateTime64(3, 'UTC'),
  expires_at DateTime64(3, 'UTC'),
  revoked UInt8,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id
TTL toDateTime(expires_at) + INTERVAL 30 DAY;
