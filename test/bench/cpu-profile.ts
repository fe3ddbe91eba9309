import WebSocket from "ws";

/** A V8 CPU profile as the inspector's Profiler.stop returns it (the .cpuprofile format). */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>;
  samples?: number[];
  startTime: number;
  endTime: number;
}

/**
 * Profiles another Node process through its inspector (started with `--inspect=127.0.0.1:<port>`, which
 * NODE_OPTIONS allows where `--cpu-prof` is refused), so a window of interest can be profiled exactly.
 */
export class InspectorProfiler {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
  }

  /** Connects to the inspector listening on 127.0.0.1:port. */
  static async connect(port: number): Promise<InspectorProfiler> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
    const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new InspectorProfiler(ws);
  }

  /** Starts sampling every `intervalUs` microseconds. */
  async start(intervalUs = 1000): Promise<void> {
    await this.call("Profiler.enable");
    await this.call("Profiler.setSamplingInterval", { interval: intervalUs });
    await this.call("Profiler.start");
  }

  /** Stops sampling and returns the profile. */
  async stop(): Promise<CpuProfile> {
    const { profile } = (await this.call("Profiler.stop")) as { profile: CpuProfile };
    return profile;
  }

  close(): void {
    this.ws.close();
  }

  private call(method: string, params: object = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }
}

/** Self time by function and by package (node_modules package, `collector`, `node:` internals…), in % of samples. */
export function summarizeProfile(profile: CpuProfile, top = 15): { functions: Array<[string, number]>; packages: Array<[string, number]> } {
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const { functionName, url, lineNumber } = n.callFrame;
    const file = url.split("/").at(-1) ?? "";
    const fn = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    byFn.set(fn, (byFn.get(fn) ?? 0) + hits);
    byPkg.set(packageOf(url, functionName), (byPkg.get(packageOf(url, functionName)) ?? 0) + hits);
  }
  const sorted = (m: Map<string, number>): Array<[string, number]> =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => [k, (v / Math.max(1, total)) * 100]);
  return { functions: sorted(byFn), packages: sorted(byPkg) };
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith("node:")) return "node: internals";
  const own = /\/(collector|protocol|agent)\/dist\//.exec(url);
  return own ? `@vigil/${own[1]}` : url;
}
