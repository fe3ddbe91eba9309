import path from "node:path";

/** Collector settings, read once from the environment at start-up. */
export interface CollectorConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Base URL that agents and install commands should use to reach this collector. */
  publicUrl: string;
  adminToken: string | undefined;
  clickhouse: ClickHouseConfig;
  retention: RetentionConfig;
  writer: WriterConfig;
  /** Settings pushed to agents that connect; validated against the protocol's AgentConfig at start-up. */
  agentDefaults: { healthIntervalSeconds: number; checkIntervalSeconds: number; pingGateway: boolean; checks: unknown[] };
  logLevel: string;
}

/** How the writer batches rows into inserts. */
export interface WriterConfig {
  flushIntervalMs: number;
  maxRowsPerFlush: number;
  highWaterRows: number;
}

/** Where ClickHouse lives: embedded (chDB under the data directory) or a server reached by URL. */
export type ClickHouseConfig =
  | { kind: "embedded"; path: string; database: string }
  | { kind: "remote"; url: string; username: string; password: string; database: string };

/** How long each kind of data is kept, in days. */
export interface RetentionConfig {
  rawDays: number;
  minuteRollupDays: number;
  hourRollupDays: number;
}

/** Raised for a setting that cannot work; the message names the variable. */
export class ConfigError extends Error {
  readonly retryable = false;
}

/** Reads the collector configuration from environment variables (see README's configuration table). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const port = intVar(env, "VIGIL_PORT", 8080, 0, 65535);
  const host = env.VIGIL_HOST ?? "0.0.0.0";
  const dataDir = path.resolve(env.VIGIL_DATA_DIR ?? "./data");
  const database = env.VIGIL_CLICKHOUSE_DATABASE ?? "vigil";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    throw new ConfigError("VIGIL_CLICKHOUSE_DATABASE must be a plain identifier (letters, digits, underscore)");
  }
  const url = env.VIGIL_CLICKHOUSE_URL;
  const clickhouse: ClickHouseConfig = url
    ? {
        kind: "remote",
        url,
        username: env.VIGIL_CLICKHOUSE_USER ?? "default",
        password: env.VIGIL_CLICKHOUSE_PASSWORD ?? "",
        database,
      }
    : { kind: "embedded", path: path.join(dataDir, "clickhouse"), database };
  return {
    port,
    host,
    dataDir,
    publicUrl: (env.VIGIL_PUBLIC_URL ?? `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`).replace(/\/+$/, ""),
    adminToken: env.VIGIL_ADMIN_TOKEN || undefined,
    clickhouse,
    retention: {
      rawDays: intVar(env, "VIGIL_RETENTION_RAW_DAYS", 30, 1, 3650),
      minuteRollupDays: intVar(env, "VIGIL_RETENTION_1M_DAYS", 90, 1, 3650),
      hourRollupDays: intVar(env, "VIGIL_RETENTION_1H_DAYS", 730, 1, 36500),
    },
    writer: {
      flushIntervalMs: intVar(env, "VIGIL_WRITER_FLUSH_MS", 500, 10, 60_000),
      maxRowsPerFlush: intVar(env, "VIGIL_WRITER_MAX_ROWS", 100_000, 100, 10_000_000),
      highWaterRows: intVar(env, "VIGIL_WRITER_HIGH_WATER_ROWS", 1_000_000, 1000, 100_000_000),
    },
    agentDefaults: {
      healthIntervalSeconds: intVar(env, "VIGIL_AGENT_HEALTH_INTERVAL", 15, 1, 3600),
      checkIntervalSeconds: intVar(env, "VIGIL_AGENT_CHECK_INTERVAL", 30, 5, 3600),
      pingGateway: env.VIGIL_AGENT_PING_GATEWAY !== "false",
      checks: jsonArrayVar(env, "VIGIL_AGENT_CHECKS"),
    },
    logLevel: env.VIGIL_LOG_LEVEL ?? "info",
  };
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function jsonArrayVar(env: NodeJS.ProcessEnv, name: string): unknown[] {
  const raw = env[name];
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    if (Array.isArray(v)) return v;
  } catch {
    // Reported below with the variable's name.
  }
  throw new ConfigError(`${name} must be a JSON array of check definitions`);
}
