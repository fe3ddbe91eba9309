export { startCollector, type RunningCollector } from "./server.js";
export { loadConfig, type CollectorConfig } from "./config.js";
export { openStore, type Store } from "./store/clickhouse.js";
