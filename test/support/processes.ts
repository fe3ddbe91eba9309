import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the repository. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const COLLECTOR_CLI = path.join(ROOT, "collector/dist/cli.js");
// The bundled single-file agent: the artifact that is installed on client machines.
const AGENT_CLI = path.join(ROOT, "agent/dist/vigil-agent.mjs");

/** A temporary directory removed by `cleanup`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `vigil-${prefix}-`));
}

/** A collector running as its own process, on a loopback port. */
export interface CollectorProcess {
  url: string;
  port: number;
  adminToken: string;
  dataDir: string;
  child: ChildProcess;
  logs: string[];
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: no cleanup, no final flush. */
  kill(): Promise<void>;
}

/** Starts `vigil serve` with embedded ClickHouse in `dataDir`; resolves when it is listening. */
export async function startCollector(opts: { dataDir?: string; port?: number; env?: Record<string, string> } = {}): Promise<CollectorProcess> {
  const dataDir = opts.dataDir ?? tempDir("collector");
  const adminToken = "vgadm_test_" + "t".repeat(32);
  const child = spawn(process.execPath, [COLLECTOR_CLI, "serve"], {
    env: {
      ...process.env,
      VIGIL_PORT: String(opts.port ?? 0),
      VIGIL_HOST: "127.0.0.1",
      VIGIL_DATA_DIR: dataDir,
      VIGIL_ADMIN_TOKEN: adminToken,
      VIGIL_LOG_LEVEL: "info",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${logs.join("\n")}`)), 60_000);
    const onLine = (line: string) => {
      logs.push(line);
      if (line.includes('"collector listening"')) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    };
    lines(child.stdout!, onLine);
    lines(child.stderr!, (l) => logs.push(l));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}:\n${logs.join("\n")}`));
    });
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    url,
    port: Number(new URL(url).port),
    adminToken,
    dataDir,
    child,
    logs,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** An agent running as its own process. */
export interface AgentProcess {
  stateDir: string;
  child: ChildProcess;
  logs: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  kill(): Promise<void>;
}

/** Enrolls an agent as a distinct simulated host (its own machine id) into `stateDir`. */
export async function enrollAgent(server: string, token: string, stateDir: string): Promise<string> {
  const r = await runAgentCli(["enroll", "--server", server, "--token", token, "--state-dir", stateDir, "--machine-id", `test-${path.basename(stateDir)}`]);
  if (r.code !== 0) throw new Error(`enroll failed (${r.code}): ${r.stderr}`);
  return /agent (\S+)/.exec(r.stdout)![1]!;
}

/** Runs `vigil-agent <args>` to completion and returns its exit code and output. */
export function runAgentCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AGENT_CLI, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `vigil-agent run` with fast intervals for tests. */
export function startAgent(stateDir: string, opts: { healthInterval?: number; checkInterval?: number; extraArgs?: string[] } = {}): AgentProcess {
  const child = spawn(
    process.execPath,
    [AGENT_CLI, "run", "--state-dir", stateDir, "--health-interval", String(opts.healthInterval ?? 1), "--check-interval", String(opts.checkInterval ?? 30), ...(opts.extraArgs ?? [])],
    { env: { ...process.env, VIGIL_LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const logs: string[] = [];
  lines(child.stdout!, (l) => logs.push(l));
  lines(child.stderr!, (l) => logs.push(l));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    stateDir,
    child,
    logs,
    async stop(signal = "SIGTERM") {
      child.kill(signal);
      return exited;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Reads the agent's saved credentials. */
export function agentCredentials(stateDir: string): { agentId: string; agentToken: string } {
  return JSON.parse(readFileSync(path.join(stateDir, "credentials.json"), "utf8")) as { agentId: string; agentToken: string };
}

/** Removes temporary directories. */
export function cleanup(...dirs: string[]): void {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buf = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
}

/** Polls `fn` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
