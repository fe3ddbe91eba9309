import path from "node:path";
import { fileURLToPath } from "node:url";

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
  /** Certificate and key files (PEM) when the collector serves HTTPS and WSS itself. */
  tls: TlsConfig | undefined;
  /** Where agent downloads (vigil-agent.mjs, bin/vigil-agent-<os>-<arch>) are served from. */
  agentDownloadsDir: string;
  /** The dashboard's built static files (index.html and assets/), served at `/`. */
  dashboardDir: string;
  /** Whether this instance runs the singleton jobs (alerting, scheduled reports); see deploy/README.md. */
  role: CollectorRole;
  /** SMTP relay for scheduled report emails; unset = scheduled reports are off. */
  smtp: SmtpSettings | undefined;
}

/** Where report emails go out: `smtp://` or `smtps://` URL (may hold user:pass) and the From address. */
export interface SmtpSettings {
  url: string;
  from: string;
}

/** Paths of the PEM files for native TLS. */
export interface TlsConfig {
  certFile: string;
  keyFile: string;
}

/** `primary` runs alerting and scheduled jobs; `secondary` only serves agents and the API. */
export type CollectorRole = "primary" | "secondary";

/** How the writer batches rows into inserts. */
export interface WriterConfig {
  flushIntervalMs: number;
  maxRowsPerFlush: number;
  highWaterRows: number;
}

/** Where ClickHouse lives: embedded (chDB under the data directory) or a server reached by URL. */
export type ClickHouseConfig =
  | { kind: "embedded"; path: string; database: string }
  | { kind: "remote"; url: string; username: string; password: string; database: string; cluster?: string };

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
  const cluster = env.VIGIL_CLICKHOUSE_CLUSTER || undefined;
  if (cluster !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(cluster)) {
    throw new ConfigError("VIGIL_CLICKHOUSE_CLUSTER must be a plain identifier (the cluster's name in remote_servers)");
  }
  if (cluster !== undefined && !url) {
    throw new ConfigError("VIGIL_CLICKHOUSE_CLUSTER needs VIGIL_CLICKHOUSE_URL: the embedded store is a single node");
  }
  const clickhouse: ClickHouseConfig = url
    ? {
        kind: "remote",
        url,
        username: env.VIGIL_CLICKHOUSE_USER ?? "default",
        password: env.VIGIL_CLICKHOUSE_PASSWORD ?? "",
        database,
        ...(cluster ? { cluster } : {}),
      }
    : { kind: "embedded", path: path.join(dataDir, "clickhouse"), database };
  const tls = tlsVars(env);
  return {
    port,
    host,
    dataDir,
    publicUrl: publicUrlVar(env, `${tls ? "https" : "http"}://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`),
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
    tls,
    agentDownloadsDir: path.resolve(env.VIGIL_AGENT_DOWNLOADS_DIR || DEFAULT_AGENT_DOWNLOADS_DIR),
    dashboardDir: path.resolve(env.VIGIL_DASHBOARD_DIR || DEFAULT_DASHBOARD_DIR),
    role: roleVar(env),
    smtp: smtpVars(env),
  };
}

// The agent package's build output in this repository (collector/{src,dist}/config → agent/dist).
const DEFAULT_AGENT_DOWNLOADS_DIR = fileURLToPath(new URL("../../agent/dist", import.meta.url));
const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../../dashboard/dist", import.meta.url));

function publicUrlVar(env: NodeJS.ProcessEnv, fallback: string): string {
  const raw = (env.VIGIL_PUBLIC_URL || fallback).replace(/\/+$/, "");
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    // Reported below.
  }
  // The URL is baked into install scripts and shell one-liners, so it may hold no quoting characters.
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || !/^[A-Za-z0-9.:/_~%@[\]+-]+$/.test(raw)) {
    throw new ConfigError(`VIGIL_PUBLIC_URL must be an http(s) URL such as https://vigil.example.net, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

function tlsVars(env: NodeJS.ProcessEnv): TlsConfig | undefined {
  const certFile = env.VIGIL_TLS_CERT || undefined;
  const keyFile = env.VIGIL_TLS_KEY || undefined;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new ConfigError("VIGIL_TLS_CERT and VIGIL_TLS_KEY go together: set both (PEM files) or neither");
  return { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
}

function smtpVars(env: NodeJS.ProcessEnv): SmtpSettings | undefined {
  const url = env.VIGIL_SMTP_URL || undefined;
  const from = env.VIGIL_SMTP_FROM || undefined;
  if (!url && !from) return undefined;
  if (!url || !from) throw new ConfigError("VIGIL_SMTP_URL and VIGIL_SMTP_FROM go together: set both (relay URL and From address) or neither");
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // Reported below.
  }
  // The URL may carry a password, so the message never repeats it.
  if (!parsed || (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") || !parsed.hostname) {
    throw new ConfigError("VIGIL_SMTP_URL must be an smtp:// or smtps:// URL with a host, such as smtps://user:password@mail.example.net:465");
  }
  if (!from.includes("@") || /[\r\n]/.test(from)) {
    throw new ConfigError(`VIGIL_SMTP_FROM must be an email address such as "Vigil <reports@msp.example>", got ${JSON.stringify(from)}`);
  }
  return { url, from };
}

function roleVar(env: NodeJS.ProcessEnv): CollectorRole {
  const raw = env.VIGIL_ROLE || "primary";
  if (raw !== "primary" && raw !== "secondary") throw new ConfigError(`VIGIL_ROLE must be primary or secondary, got ${JSON.stringify(raw)}`);
  return raw;
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
