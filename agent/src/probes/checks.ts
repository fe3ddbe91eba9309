import net from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { CheckRecord, CheckSpec } from "@vigil/protocol";
import ping from "ping";
import { findPingBinary, PingUnavailableError } from "./ping-binary.js";

/** What every check run needs to know besides its spec. */
export interface CheckContext {
  /** Boot id stamped on every record. */
  bootId: string;
  /** How long a check may wait for an answer (default 5000 ms). */
  timeoutMs?: number;
  /** Path of `ping`; null = known to be missing; undefined = look it up. */
  pingPath?: string | null;
}

const DEFAULT_TIMEOUT_MS = 5000;
const PING_COUNT = 3;
const MAX_ERROR_LENGTH = 1000;
const MAX_TARGET_LENGTH = 2048;

type Outcome = Pick<CheckRecord, "ok" | "latencyMs" | "lossPct"> & { status?: number; error?: string };

/** Runs one check and describes the outcome; never throws (a failure is a record with ok:false). */
export async function runCheck(spec: CheckSpec, ctx: CheckContext): Promise<CheckRecord> {
  const ts = Date.now();
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let outcome: Outcome;
  try {
    switch (spec.type) {
      case "ping":
        outcome = await pingHost(spec.host, timeoutMs, ctx.pingPath === undefined ? await findPingBinary() : ctx.pingPath);
        break;
      case "tcp":
        outcome = await connectTcp(spec.host, spec.port, timeoutMs);
        break;
      case "http":
        outcome = await getHttp(spec.url, spec.expectStatus, timeoutMs);
        break;
    }
  } catch (err) {
    outcome = { ok: false, latencyMs: null, lossPct: null, error: `check failed: ${describe(err)}` };
  }
  const record: CheckRecord = {
    kind: "check",
    ts,
    bootId: ctx.bootId,
    checkId: spec.id,
    checkType: spec.type,
    role: spec.role,
    target: targetOf(spec).slice(0, MAX_TARGET_LENGTH),
    ok: outcome.ok,
    latencyMs: outcome.latencyMs,
    lossPct: outcome.lossPct,
  };
  if (outcome.status !== undefined) record.status = outcome.status;
  if (outcome.error !== undefined) record.error = outcome.error.slice(0, MAX_ERROR_LENGTH);
  return record;
}

/** Runs checks in parallel, one record per spec in the same order; never throws. */
export async function runChecks(specs: readonly CheckSpec[], ctx: CheckContext): Promise<CheckRecord[]> {
  let pingPath = ctx.pingPath;
  // Look ping up once per round rather than once per ping check.
  if (pingPath === undefined && specs.some((s) => s.type === "ping")) pingPath = await findPingBinary();
  return Promise.all(specs.map((spec) => runCheck(spec, { ...ctx, pingPath })));
}

/** The check that pings the site's default gateway. */
export function gatewayCheckSpec(gateway: string): CheckSpec {
  return { id: "gateway", role: "gateway", type: "ping", host: gateway };
}

function targetOf(spec: CheckSpec): string {
  switch (spec.type) {
    case "ping":
      return spec.host;
    case "tcp":
      return `${net.isIPv6(spec.host) ? `[${spec.host}]` : spec.host}:${spec.port}`;
    case "http":
      return spec.url;
  }
}

async function pingHost(host: string, timeoutMs: number, pingPath: string | null): Promise<Outcome> {
  if (pingPath === null) return { ok: false, latencyMs: null, lossPct: null, error: new PingUnavailableError().message };
  // The host is passed to ping as an argument, and the schema lets a name start with '-'.
  if (host.startsWith("-")) return { ok: false, latencyMs: null, lossPct: null, error: `invalid host ${JSON.stringify(host)}` };
  putOnPath(pingPath);
  const res = await ping.promise.probe(host, {
    // ping takes whole seconds; -W bounds the wait for each reply.
    timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
    min_reply: PING_COUNT,
    // The library would run `ping6` for IPv6 on Linux, which newer distributions drop; iputils'
    // `ping` picks the family itself.
    v6: process.platform === "linux" ? false : undefined,
  });
  const avg = Number.parseFloat(res.avg);
  const loss = Number.parseFloat(res.packetLoss);
  const lossPct = Number.isFinite(loss) ? Math.min(100, Math.max(0, loss)) : null;
  if (res.alive) return { ok: true, latencyMs: Number.isFinite(avg) ? avg : null, lossPct };
  return { ok: false, latencyMs: null, lossPct, error: pingError(host, res.output, lossPct) };
}

function pingError(host: string, output: string, lossPct: number | null): string {
  // ping explains unknown hosts, permissions and unreachable networks on a line of its own.
  const explained = output.split("\n").find((line) => line.startsWith("ping:"));
  if (explained) return explained.trim();
  return lossPct === null ? `no reply from ${host}` : `no reply from ${host} (${lossPct}% packet loss)`;
}

// The ping library runs plain `ping` from PATH on Linux; a binary found only in /usr/sbin
// (short PATH under a service manager) would otherwise never run.
function putOnPath(pingPath: string): void {
  if (process.platform !== "linux") return;
  const dir = path.dirname(pingPath);
  const dirs = (process.env.PATH ?? "").split(path.delimiter);
  if (!dirs.includes(dir)) process.env.PATH = [...dirs.filter((d) => d.length > 0), dir].join(path.delimiter);
}

function connectTcp(host: string, port: number, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let started = performance.now();
    const socket = net.connect({ host, port });
    const finish = (outcome: Outcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, latencyMs: null, lossPct: null, error: `no connection within ${timeoutMs} ms` }),
      timeoutMs,
    );
    // Latency is the TCP handshake alone: a slow DNS answer is not the service being slow.
    socket.once("lookup", () => (started = performance.now()));
    socket.once("connect", () => finish({ ok: true, latencyMs: round(performance.now() - started), lossPct: null }));
    socket.once("error", (err) => finish({ ok: false, latencyMs: null, lossPct: null, error: networkError(err) }));
  });
}

async function getHttp(url: string, expectStatus: number, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(url, {
      method: "GET",
      // A redirect is an answer in itself; following it would check some other service.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: { "user-agent": "vigil-agent" },
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    const error = timedOut ? `no response within ${timeoutMs} ms` : networkError(err);
    return { ok: false, latencyMs: null, lossPct: null, error };
  }
  const latencyMs = round(performance.now() - started);
  // Only the status matters; dropping the body frees the connection without downloading it.
  res.body?.cancel().catch(() => undefined);
  const ok = res.status === expectStatus;
  const outcome: Outcome = { ok, latencyMs, lossPct: null };
  if (res.status >= 100 && res.status <= 599) outcome.status = res.status;
  if (!ok) outcome.error = `expected HTTP ${expectStatus}, got ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`;
  return outcome;
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed (DNS not answering)",
};

// fetch hides the system error under `cause`; TLS problems (expired or untrusted certificates)
// arrive the same way.
function networkError(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause !== undefined) e = e.cause;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === "string" && NETWORK_ERRORS[code]) {
    const where = (e as { address?: unknown; port?: unknown }).address;
    const port = (e as { port?: unknown }).port;
    return where ? `${NETWORK_ERRORS[code]} (${String(where)}${port ? `:${String(port)}` : ""})` : NETWORK_ERRORS[code];
  }
  return describe(e);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
