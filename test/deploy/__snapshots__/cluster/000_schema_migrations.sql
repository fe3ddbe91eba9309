CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER vigil (version UInt32, name String, applied_at DateTime64(3, 'UTC'))
     ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/schema_migrations', '{replica}') ORDER BY version;
