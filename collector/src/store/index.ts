export { openStore, type Store, type Params } from "./clickhouse.js";
export { StoreError, toStoreError } from "./errors.js";
export { migrate } from "./migrate.js";
