import { ENROLL_PATH, EnrollResponse, type EnrollRequest } from "@vigil/protocol";

/** Credentials of one enrolled (simulated) agent. */
export interface FleetCredentials {
  agentId: string;
  agentToken: string;
  /** Highest seq this agent numbered in an earlier run; it continues above it, as a real agent would. */
  lastSeq?: number;
}

/** How enrollAgents names and paces its hosts. */
export interface EnrollOptions {
  /** Requests in flight at once (default 16). */
  concurrency?: number;
  /** Machine ids are `<prefix>-<n>`; distinct per agent, so every agent is its own host. */
  machinePrefix?: string;
  /** Index of the first agent (default 0), so a fleet can be enrolled in parts. */
  firstIndex?: number;
  onProgress?: (done: number) => void;
}

/**
 * Enrolls `count` simulated hosts with one enrollment token through `POST /api/v1/agents/enroll`, a
 * bounded number at a time. Re-enrolling the same machine ids keeps their agent ids (with new tokens).
 */
export async function enrollAgents(server: string, enrollmentToken: string, count: number, opts: EnrollOptions = {}): Promise<FleetCredentials[]> {
  const prefix = opts.machinePrefix ?? "sim";
  const first = opts.firstIndex ?? 0;
  const out: FleetCredentials[] = new Array<FleetCredentials>(count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await enrollOne(server, {
        token: enrollmentToken,
        hostname: `${prefix}-host-${first + i}`,
        agentVersion: "0.0.0-sim",
        os: { platform: "linux", release: "sim", arch: "x64" },
        machineId: `${prefix}-${first + i}`,
      });
      opts.onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, opts.concurrency ?? 16) }, worker));
  return out;
}

async function enrollOne(server: string, body: EnrollRequest): Promise<FleetCredentials> {
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    let text: string;
    try {
      const res = await fetch(server + ENROLL_PATH, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      status = res.status;
      text = await res.text();
      if (status === 201) {
        const r = EnrollResponse.parse(JSON.parse(text));
        return { agentId: r.agentId, agentToken: r.agentToken };
      }
    } catch (err) {
      text = (err as Error).message;
    }
    // Only overload (503) and network errors are worth another try; anything else is a bug to report.
    if ((status !== 0 && status !== 503) || attempt >= 5) throw new Error(`enroll ${body.machineId}: ${status} ${text}`);
    await new Promise((r) => setTimeout(r, 200 * attempt));
  }
}
