import { readFileSync } from "node:fs";
import os from "node:os";
import { ENROLL_PATH, EnrollResponse, type EnrollRequest } from "@vigil/protocol";
import type { StateDir } from "./state/state-dir.js";
import { AGENT_VERSION } from "./version.js";

/** Enrollment failed. `retryable` says whether trying again later can succeed. */
export class EnrollError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Exchanges an enrollment token for agent credentials and saves them (mode 0600) in the state dir. */
export async function enroll(server: string, token: string, stateDir: StateDir, machineIdOverride?: string): Promise<EnrollResponse> {
  let base: URL;
  try {
    base = new URL(server);
    if (base.protocol !== "http:" && base.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw new EnrollError(`--server must be an http(s) URL, got ${JSON.stringify(server)}`, false);
  }
  const body: EnrollRequest = {
    token,
    hostname: os.hostname(),
    agentVersion: AGENT_VERSION,
    os: { platform: process.platform, release: os.release(), arch: process.arch },
    machineId: machineIdOverride ?? machineId(),
  };
  let res: Response;
  try {
    res = await fetch(new URL(ENROLL_PATH, base), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new EnrollError(`cannot reach the collector at ${base.origin} (${cause})`, true);
  }
  const text = await res.text();
  if (res.status !== 201) {
    let detail = text.slice(0, 300);
    try {
      const e = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
      if (e) detail = `${e.code}: ${e.message}`;
    } catch {
      // The body was not our JSON error; show it as it came.
    }
    const hint = res.status === 401 ? " (ask for a new enrollment token)" : "";
    throw new EnrollError(`enrollment refused by the collector: HTTP ${res.status} ${detail}${hint}`, res.status >= 500);
  }
  const parsed = EnrollResponse.safeParse(JSON.parse(text));
  if (!parsed.success) throw new EnrollError("the collector's enrollment answer was not understood; is --server a Vigil collector?", false);
  stateDir.writeCredentials({ server: base.origin + base.pathname.replace(/\/+$/, ""), ...parsed.data, enrolledAt: new Date().toISOString() });
  return parsed.data;
}

// A stable machine id lets a reinstalled agent keep its host instead of appearing as a new one.
function machineId(): string | undefined {
  for (const f of ["/etc/machine-id", "/var/lib/dbus/machine-id"]) {
    try {
      const id = readFileSync(f, "utf8").trim();
      if (id) return id;
    } catch {
      // Try the next place; some platforms have neither.
    }
  }
  return undefined;
}
