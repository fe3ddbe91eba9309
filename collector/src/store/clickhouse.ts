import { mkdirSync } from "node:fs";
import { createClient, type ClickHouseClient } from "@clickhouse/client";

type ClientOptions = NonNullable<Parameters<typeof createClient>[0]>;
import type { ClickHouseConfig } from "../config.js";
import { toStoreError } from "./errors.js";

/** Query parameters, bound server-side through `{name:Type}` placeholders. */
export type Params = Record<string, unknown>;

/**
 * The collector's only door to ClickHouse. Every value travels as a bound parameter or as insert data;
 * SQL text never contains user input.
 */
export interface Store {
  readonly kind: "embedded" | "remote";
  readonly database: string;
  /** Runs a SELECT and returns its rows. */
  query<T>(sql: string, params?: Params): Promise<T[]>;
  /** Runs a statement that returns no rows (DDL, ALTER, INSERT … SELECT). */
  command(sql: string, params?: Params): Promise<void>;
  /** Inserts rows (objects keyed by column name) into a table of the Vigil database. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /** True when ClickHouse answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens the store: embedded chDB under the data directory, or a ClickHouse server by URL. */
export async function openStore(config: ClickHouseConfig): Promise<Store> {
  const settings = {
    // Integers above 2^53 never reach this code, and plain numbers keep row mapping simple.
    output_format_json_quote_64bit_integers: 0,
    date_time_input_format: "best_effort",
  } as const;
  let client: ClickHouseClient;
  if (config.kind === "embedded") {
    mkdirSync(config.path, { recursive: true });
    const { createChdbConnection } = await import("chdb/connection");
    // chdb types its connection against @clickhouse/client-common, which the client no longer re-exports.
    const connection = createChdbConnection({ path: config.path }) as unknown as NonNullable<ClientOptions["connection"]>;
    client = createClient({ connection, clickhouse_settings: settings });
    // The embedded session ignores the client's `database`; USE sticks to the session instead.
    await run(() => client.command({ query: `CREATE DATABASE IF NOT EXISTS ${config.database}` }), "create database");
    await run(() => client.command({ query: `USE ${config.database}` }), "use database");
  } else {
    const bootstrap = createClient({ url: config.url, username: config.username, password: config.password });
    await run(() => bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${config.database}` }), "create database");
    await bootstrap.close();
    client = createClient({
      url: config.url,
      username: config.username,
      password: config.password,
      database: config.database,
      clickhouse_settings: settings,
      request_timeout: 60_000,
    });
  }
  return new ClickHouseStore(client, config.kind, config.database);
}

class ClickHouseStore implements Store {
  constructor(
    private readonly client: ClickHouseClient,
    readonly kind: "embedded" | "remote",
    readonly database: string,
  ) {}

  async query<T>(sql: string, params?: Params): Promise<T[]> {
    return run(async () => {
      const rs = await this.client.query({ query: sql, query_params: params, format: "JSONEachRow" });
      return rs.json<T>();
    }, "query");
  }

  async command(sql: string, params?: Params): Promise<void> {
    await run(() => this.client.command({ query: sql, query_params: params }), "command");
  }

  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    await run(() => this.client.insert({ table, values: rows as object[], format: "JSONEachRow" }), `insert into ${table}`);
  }

  async ping(): Promise<boolean> {
    try {
      const r = await this.client.ping();
      return r.success;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

async function run<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toStoreError(err, what);
  }
}
