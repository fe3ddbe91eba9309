/**
 * Alert latency at default settings (10 s confirmation, 5 s pings): from the moment an agent's connection
 * is lost to the webhook received, for a SIGKILLed agent and for a connection that goes silent (a loopback
 * proxy that stops forwarding); and the alerts raised by agent restarts and link drops shorter than the
 * confirmation window (target: none). Real collector, real agents, a real webhook receiver, loopback only.
 *
 * Run alone: cd test && node --import tsx bench/alerts.ts [--runs 20] [--drops 5] [--blips 10]
 */
import net from "node:net";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { reply, startReceiver, type Receiver } from "../../collector/src/alerts/channels/testing.js";
import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, enrollAgent, startAgent, startCollector, tempDir, waitFor, type AgentProcess, type CollectorProcess } from "../support/processes.js";
import { formatTable, percentile, sleep } from "./measure.js";

/** Sizes of the alerts benchmark. */
export interface AlertsBenchOptions {
  /** SIGKILL runs (20). */
  runs: number;
  /** Silent-drop runs (5): each takes a ping timeout, so they run side by side. */
  drops: number;
  /** Agents restarted once, agents whose link drops once for 3 s, and agents whose link goes silent once for 8 s: shorter than the confirmation window (10 each). */
  blips: number;
  log: (line: string) => void;
}

const BATCH = 5;
const STAGGER_MS = 1000;
const CONFIRMATION_MS = 10_000;

/** Runs the section and prints its figures. */
export async function alertsBench(o: AlertsBenchOptions): Promise<void> {
  const dirs: string[] = [];
  const agents: AgentProcess[] = [];
  const proxies: LoopbackProxy[] = [];
  const arrivals = new Map<string, number[]>();
  const receiver: Receiver = await startReceiver((request, res) => {
    const body = request.json() as { event: string };
    if (body.event === "firing") arrivals.set(request.path, [...(arrivals.get(request.path) ?? []), Date.now()]);
    reply(res, 200);
  });
  const collector: CollectorProcess = await startCollector({ env: LOOPBACK_AGENT_ENV });
  dirs.push(collector.dataDir);
  const api = new AdminApi(collector.url, collector.adminToken);
  let n = 0;

  /** One host alone at its own client (so each outage is a host alert), its webhook on its own path. */
  const host = async (via?: LoopbackProxy) => {
    const name = `bench-${++n}`;
    const { clientId, token } = await api.enrollmentToken(name);
    await api.request("POST", "/api/v1/channels", { clientId, name, config: { type: "webhook", url: `${receiver.origin}/${name}` } });
    const stateDir = tempDir(`bench-alerts-${n}`);
    dirs.push(stateDir);
    const agentId = await enrollAgent(via?.url ?? collector.url, token, stateDir);
    const h = { path: `/${name}`, agentId, stateDir, agent: startAgent(stateDir) };
    agents.push(h.agent);
    return h;
  };
  // When the engine fired each host's alert, from the collector's log: splits latency into detection and delivery.
  const firedAt = (agentId: string) => {
    for (const line of collector.logs) {
      if (!line.includes('"alert firing"') || !line.includes(`host:${agentId}`)) continue;
      return (JSON.parse(line) as { time: number }).time;
    }
    return undefined;
  };
  const connectedCount = async () => (await (await fetch(`${collector.url}/readyz`)).json()) as { agents: number };
  const waitConnected = (count: number) => waitFor(async () => (await connectedCount()).agents >= count, `${count} agents connected`, 60_000);

  try {
    // SIGKILL: the socket closes at once; the alert follows one confirmation window later.
    const killLatencies: number[] = [];
    const deliveryLatencies: number[] = [];
    for (let done = 0; done < o.runs; done += BATCH) {
      const batch = await Promise.all(Array.from({ length: Math.min(BATCH, o.runs - done) }, () => host()));
      await waitConnected(batch.length);
      const killedAt: number[] = [];
      for (const h of batch) {
        killedAt.push(Date.now());
        await h.agent.kill();
        await sleep(STAGGER_MS);
      }
      await waitFor(() => batch.every((h) => arrivals.has(h.path)), "host-down webhooks", 60_000);
      batch.forEach((h, i) => {
        const arrived = arrivals.get(h.path)![0]!;
        killLatencies.push(arrived - killedAt[i]!);
        const fired = firedAt(h.agentId);
        if (fired !== undefined) deliveryLatencies.push(arrived - fired);
      });
      o.log(`SIGKILL runs: ${killLatencies.length}/${o.runs}`);
    }

    // Silent drop: the proxy stops forwarding in both directions and black-holes new connections, as a
    // cut cable or a dead router would; only the collector's missed pings can tell.
    const dropLatencies: number[] = [];
    type Proxied = { proxy: LoopbackProxy; path: string; agentId: string; stateDir: string; agent: AgentProcess };
    const silent: Proxied[] = [];
    for (let i = 0; i < o.drops; i++) {
      const proxy = await LoopbackProxy.start(collector.port);
      proxies.push(proxy);
      silent.push({ proxy, ...(await host(proxy)) });
    }
    await waitConnected(silent.length);
    const stalledAt: number[] = [];
    for (const s of silent) {
      stalledAt.push(Date.now());
      s.proxy.stall();
      await sleep(STAGGER_MS);
    }
    await waitFor(() => silent.every((s) => arrivals.has(s.path)), "silent-drop webhooks", 120_000);
    silent.forEach((s, i) => dropLatencies.push(arrivals.get(s.path)![0]! - stalledAt[i]!));
    for (const s of silent) await s.agent.kill();

    // Blips: restarts (SIGKILL, started again at once) and link drops of 3 s (connections reset, new ones
    // refused), all shorter than the confirmation window. Once per agent: an agent retries every 0.5–2 s for
    // the first 10 s after a loss, but a second drop before its connection stayed up 10 s backs off longer.
    const restarted = await Promise.all(Array.from({ length: o.blips }, () => host()));
    const dropped: Proxied[] = [];
    for (let i = 0; i < o.blips; i++) {
      const proxy = await LoopbackProxy.start(collector.port);
      proxies.push(proxy);
      dropped.push({ proxy, ...(await host(proxy)) });
    }
    await waitConnected(restarted.length + dropped.length);
    for (const h of restarted) {
      await h.agent.kill();
      h.agent = startAgent(h.stateDir);
      agents.push(h.agent);
    }
    for (const d of dropped) d.proxy.cut();
    await sleep(3000);
    for (const d of dropped) d.proxy.resume();
    await sleep(CONFIRMATION_MS + 10_000);
    const alertsOf = (hosts: Array<{ path: string }>) => hosts.reduce((sum, h) => sum + (arrivals.get(h.path)?.length ?? 0), 0);
    const restartAlerts = alertsOf(restarted);
    const dropAlerts = alertsOf(dropped);
    // Stopped for good before the next phase (their outages now would be real ones, and are not counted).
    for (const h of [...restarted, ...dropped]) await h.agent.kill();

    // Silent blips of 8 s: long enough for the collector to drop most connections (at its second ping into
    // the silence, 5–10 s in), short enough that the agent, finding its connection dead at its next write, is
    // back within the confirmation window. Staggered, so they start at different points of the ping cycle.
    const stalledBlips: Proxied[] = [];
    for (let i = 0; i < o.blips; i++) {
      const proxy = await LoopbackProxy.start(collector.port);
      proxies.push(proxy);
      stalledBlips.push({ proxy, ...(await host(proxy)) });
    }
    await waitConnected(stalledBlips.length);
    await Promise.all(
      stalledBlips.map(async (s, i) => {
        await sleep((i * 5000) / stalledBlips.length);
        s.proxy.stall();
        await sleep(8000);
        s.proxy.unstall();
      }),
    );
    await sleep(CONFIRMATION_MS + 10_000);
    const silentBlipAlerts = alertsOf(stalledBlips);
    const droppedByCollector = stalledBlips.filter((s) => collector.logs.some((l) => l.includes('"agent stopped answering pings') && l.includes(s.agentId))).length;

    const row = (what: string, values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      return [what, values.length, s(percentile(sorted, 50)), s(percentile(sorted, 95)), s(sorted[0] ?? 0), s(sorted.at(-1) ?? 0)];
    };
    console.log(
      formatTable(
        ["connection lost → webhook received", "runs", "p50", "p95", "min", "max"],
        [row("SIGKILL of the agent", killLatencies), row("  of which alert fired → webhook", deliveryLatencies), row("silent drop (proxy stops forwarding)", dropLatencies)],
      ),
    );
    console.log(`target: 20 s. Confirmation window 10 s; a silent connection is noticed at the collector's next ping after an unanswered one (5–10 s) first.`);
    console.log(
      `alerts raised by ${o.blips} agent restarts: ${restartAlerts}; by ${o.blips} link drops of 3 s: ${dropAlerts}; by ${o.blips} silent links of 8 s: ${silentBlipAlerts} (target: none; the collector dropped ${droppedByCollector} of those connections, their agents came back in time)`,
    );
  } finally {
    await Promise.all(agents.map((a) => a.kill().catch(() => undefined)));
    for (const p of proxies) p.close();
    await collector.stop();
    await receiver.close();
    cleanup(...dirs);
  }
}

/** A TCP proxy on loopback in front of the collector, whose link can be stalled (silently) or cut. */
class LoopbackProxy {
  private mode: "forward" | "stall" | "refuse" = "forward";
  private readonly pairs = new Set<{ client: net.Socket; upstream?: net.Socket }>();

  private constructor(
    private readonly server: net.Server,
    readonly url: string,
    private readonly target: number,
  ) {
    server.on("connection", (client) => this.accept(client));
  }

  static async start(targetPort: number): Promise<LoopbackProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return new LoopbackProxy(server, `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, targetPort);
  }

  /** Stops forwarding without closing anything; new connections are held open and never forwarded either. */
  stall(): void {
    this.mode = "stall";
    for (const p of this.pairs) {
      p.client.unpipe();
      p.upstream?.unpipe();
      p.client.pause();
      p.upstream?.pause();
    }
  }

  /** Resets every connection and refuses new ones until `resume()`. */
  cut(): void {
    this.mode = "refuse";
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream?.destroy();
    }
    this.pairs.clear();
  }

  resume(): void {
    this.mode = "forward";
  }

  /** Forwards again after `stall()`: what was held back flows on, as after a brief outage; a side closed meanwhile is found at the next write. */
  unstall(): void {
    this.mode = "forward";
    for (const p of this.pairs) {
      // Connections that arrived while stalled were never forwarded: reset, so the agent tries again.
      if (!p.upstream) {
        p.client.destroy();
        continue;
      }
      if (p.upstream.destroyed) {
        // The collector dropped it meanwhile: the agent finds out when it next sends something.
        const client = p.client;
        client.once("data", () => client.destroy());
        client.resume();
        continue;
      }
      p.client.pipe(p.upstream);
      p.upstream.pipe(p.client);
      p.client.resume();
      p.upstream.resume();
    }
  }

  close(): void {
    this.cut();
    this.server.close();
  }

  private accept(client: net.Socket): void {
    client.on("error", () => client.destroy());
    if (this.mode === "refuse") return void client.destroy();
    const pair: { client: net.Socket; upstream?: net.Socket } = { client };
    this.pairs.add(pair);
    client.on("close", () => this.pairs.delete(pair));
    if (this.mode === "stall") return void client.pause();
    const upstream = net.connect(this.target, "127.0.0.1");
    pair.upstream = upstream;
    // While stalled nothing gets through, a close included: the far side must find out by itself.
    const forwarding = () => this.mode !== "stall";
    upstream.on("error", () => forwarding() && client.destroy());
    upstream.on("close", () => forwarding() && client.destroy());
    client.on("close", () => forwarding() && upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "20" }, drops: { type: "string", default: "5" }, blips: { type: "string", default: "10" } } });
  await alertsBench({ runs: Number(values.runs), drops: Number(values.drops), blips: Number(values.blips), log: (line) => console.error(`[bench] ${line}`) });
}
