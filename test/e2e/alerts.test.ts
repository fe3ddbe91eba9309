import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { reply, startReceiver, type ReceivedRequest, type Receiver } from "../../collector/src/alerts/channels/testing.js";
import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, enrollAgent, startAgent, startCollector, tempDir, waitFor, type AgentProcess, type CollectorProcess } from "../support/processes.js";

// Real collector and agent processes, a real webhook receiver on loopback. Scenarios run side by side, each
// with its own client whose webhook channel posts to its own path, so their timings overlap.

interface WebhookBody {
  event: string;
  alert: { id: string; rule: string; subject: { kind: string; name: string }; client: string; site: string; summary: string };
  links: { acknowledge?: string };
}

const SECRET = "e2e-webhook-secret-0123456789";
const CONFIRMATION_MS = 10_000;

function signed(r: ReceivedRequest): boolean {
  const timestamp = String(r.headers["x-vigil-timestamp"]);
  const expected = Buffer.from("sha256=" + createHmac("sha256", SECRET).update(`${timestamp}.`).update(r.rawBody).digest("hex"));
  const given = Buffer.from(String(r.headers["x-vigil-signature"]));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe.concurrent("alerts end to end", () => {
  let collector: CollectorProcess;
  let api: AdminApi;
  let receiver: Receiver;
  const received = new Map<string, Array<{ at: number; request: ReceivedRequest }>>();
  const agents: AgentProcess[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    // The flaky receiver fails twice, then takes the notification.
    let flaky = 0;
    receiver = await startReceiver((request, res) => {
      const list = received.get(request.path) ?? [];
      list.push({ at: Date.now(), request });
      received.set(request.path, list);
      reply(res, request.path === "/flaky" && flaky++ < 2 ? 500 : 200);
    });
    collector = await startCollector({ env: LOOPBACK_AGENT_ENV });
    dirs.push(collector.dataDir);
    api = new AdminApi(collector.url, collector.adminToken);
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.kill().catch(() => undefined)));
    await collector?.stop();
    await receiver?.close();
    cleanup(...dirs);
  });

  /** A client with one site, its own webhook channel posting to `/<path>`, and `count` enrolled agents running. */
  async function client(name: string, webhookPath: string, count = 1) {
    const { clientId, siteId, token } = await api.enrollmentToken(name);
    const channel = await api.request<{ id: string }>("POST", "/api/v1/channels", { clientId, name: `${name} on-call`, config: { type: "webhook", url: `${receiver.origin}/${webhookPath}`, secret: SECRET } });
    if (channel.status !== 201) throw new Error(`channel: ${channel.status} ${JSON.stringify(channel.body)}`);
    const hosts: Array<{ agentId: string; stateDir: string; agent: AgentProcess }> = [];
    for (let i = 0; i < count; i++) {
      const stateDir = tempDir(`alerts-${webhookPath}-${i}`);
      dirs.push(stateDir);
      const agentId = await enrollAgent(collector.url, token, stateDir);
      hosts.push({ agentId, stateDir, agent: run(stateDir) });
    }
    await Promise.all(hosts.map((h) => connected(h)));
    return { clientId, siteId, hosts, webhooks: (event?: string) => (received.get(`/${webhookPath}`) ?? []).filter((w) => !event || body(w.request).event === event) };
  }

  function run(stateDir: string): AgentProcess {
    const agent = startAgent(stateDir);
    agents.push(agent);
    return agent;
  }

  const body = (r: ReceivedRequest) => r.json() as WebhookBody;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // The pid tells this process's status from the one a killed process left behind.
  const connected = (host: { stateDir: string; agent: AgentProcess }) =>
    waitFor(
      () => {
        const status = JSON.parse(readFileSync(path.join(host.stateDir, "status.json"), "utf8")) as { connected: boolean; pid: number };
        return status.connected && status.pid === host.agent.child.pid;
      },
      `agent in ${host.stateDir} connected`,
      30_000,
    );

  it("SIGKILL of an agent: exactly one host-down webhook, signed, with an ack link; resolved after it returns", async ({ expect }) => {
    const c = await client("Kill GmbH", "kill");
    const [host] = c.hosts;
    const killedAt = Date.now();
    await host!.agent.kill();
    const [firing] = await waitFor(() => (c.webhooks("firing").length ? c.webhooks("firing") : undefined), "host-down webhook", 40_000);
    const latencyMs = firing!.at - killedAt;
    console.log(`alert latency SIGKILL → webhook: ${latencyMs} ms (confirmation window ${CONFIRMATION_MS} ms)`);
    expect(latencyMs).toBeGreaterThanOrEqual(CONFIRMATION_MS);
    const payload = body(firing!.request);
    expect(payload.alert).toMatchObject({ rule: "Host down", subject: { kind: "host" }, client: "Kill GmbH", site: "Main Office" });
    expect(signed(firing!.request)).toBe(true);

    // The ack link (on VIGIL_PUBLIC_URL, which names port 0 here) shows a confirmation page and acknowledges
    // nothing by being fetched; its button's POST acknowledges, and the channel is told.
    const ack = new URL(payload.links.acknowledge!);
    expect(ack.pathname).toBe("/api/v1/alerts/ack");
    const link = await fetch(collector.url + ack.pathname + ack.search);
    expect(link.status).toBe(200);
    expect(await link.text()).toContain("Acknowledge this alert?");
    await sleep(6000);
    expect(c.webhooks().map((w) => body(w.request).event)).toEqual(["firing"]);
    const confirmed = await fetch(collector.url + ack.pathname + ack.search, { method: "POST" });
    expect(await confirmed.text()).toContain("Acknowledged");
    await waitFor(() => c.webhooks("acknowledged").length > 0, "acknowledged webhook", 20_000);
    expect(c.webhooks("firing")).toHaveLength(1);
    host!.agent = run(host!.stateDir);
    await waitFor(() => c.webhooks("resolved").length > 0, "resolved webhook", 30_000);
    expect(body(c.webhooks("resolved")[0]!.request).alert.id).toBe(payload.alert.id);
    const alerts = await api.request<{ items: Array<{ id: string; rule: string; state: string; resolvedBy: string }> }>("GET", `/api/v1/alerts?clientId=${c.clientId}`);
    expect(alerts.body.items.map((a) => [a.id, a.rule, a.state, a.resolvedBy])).toEqual([[payload.alert.id, "host_down", "resolved", "vigil"]]);
    expect(c.webhooks().map((w) => body(w.request).event)).toEqual(["firing", "acknowledged", "resolved"]);
  });

  it("a whole site offline: one site alert and no host alerts, resolved when it returns", async ({ expect }) => {
    const c = await client("Dark Site AG", "site", 3);
    const killedAt = Date.now();
    await Promise.all(c.hosts.map((h) => h.agent.kill()));
    await waitFor(() => c.webhooks("firing").length > 0, "site-down webhook", 40_000);
    // Past every host's confirmation window and then some: still the one site alert.
    await sleep(Math.max(0, killedAt + CONFIRMATION_MS + 6000 - Date.now()));
    const firing = c.webhooks("firing").map((w) => body(w.request).alert);
    expect(firing.map((a) => [a.rule, a.subject.kind, a.subject.name])).toEqual([["Site down", "site", "Main Office"]]);
    expect(firing[0]!.summary).toContain("3 hosts of Main Office");

    for (const h of c.hosts) h.agent = run(h.stateDir);
    await waitFor(() => c.webhooks("resolved").length > 0, "site resolved", 30_000);
    await Promise.all(c.hosts.map((h) => connected(h)));
    await sleep(CONFIRMATION_MS + 2000);
    expect(c.webhooks().map((w) => `${body(w.request).event} ${body(w.request).alert.subject.kind}`)).toEqual(["firing site", "resolved site"]);
    const alerts = await api.request<{ items: Array<{ rule: string }> }>("GET", `/api/v1/alerts?clientId=${c.clientId}`);
    expect(alerts.body.items.map((a) => a.rule)).toEqual(["site_down"]);
  });

  it("a host in a maintenance window: no alert", async ({ expect }) => {
    const c = await client("Maintenance KG", "maintenance");
    const [host] = c.hosts;
    const now = Date.now();
    const window = await api.request("POST", "/api/v1/maintenance-windows", {
      clientId: c.clientId,
      scope: { level: "host", id: host!.agentId },
      kind: "once",
      start: new Date(now - 60_000).toISOString(),
      end: new Date(now + 30 * 60_000).toISOString(),
      reason: "disk replacement",
    });
    expect(window.status).toBe(201);
    await host!.agent.kill();
    await sleep(CONFIRMATION_MS + 8000);
    expect(c.webhooks()).toEqual([]);
    const alerts = await api.request<{ items: unknown[] }>("GET", `/api/v1/alerts?clientId=${c.clientId}`);
    expect(alerts.body.items).toEqual([]);
  });

  it("a receiver that fails twice, then succeeds: delivered once, the delivery log shows the 3 attempts", async ({ expect }) => {
    const c = await client("Flaky Ltd", "flaky");
    // A shorter confirmation window for this client, through the rules API.
    const rule = await api.request("POST", "/api/v1/alert-rules", { kind: "host_down", scope: { level: "client", id: c.clientId }, params: { confirmSeconds: 2 } });
    expect(rule.status).toBe(201);
    // The engine reads configuration every few seconds.
    await sleep(6000);
    await c.hosts[0]!.agent.kill();
    await waitFor(() => c.webhooks().length >= 3, "three attempts at the flaky receiver", 40_000);
    const alertId = body(c.webhooks()[0]!.request).alert.id;
    expect(c.webhooks().map((w) => body(w.request).alert.id)).toEqual([alertId, alertId, alertId]);
    // One delivery: the same X-Vigil-Delivery on every attempt.
    expect(new Set(c.webhooks().map((w) => w.request.headers["x-vigil-delivery"])).size).toBe(1);
    type Detail = { deliveries: Array<{ event: string; ok: boolean; attempts: Array<{ status?: number }> }> };
    const detail = await waitFor(async () => {
      const d = await api.request<Detail>("GET", `/api/v1/alerts/${alertId}`);
      return d.body.deliveries.length > 0 ? d.body : undefined;
    }, "delivery log");
    expect(detail.deliveries).toHaveLength(1);
    expect(detail.deliveries[0]).toMatchObject({ event: "firing", ok: true });
    expect(detail.deliveries[0]!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    await sleep(3000);
    expect(c.webhooks()).toHaveLength(3);
  });

  it("an agent restart shorter than the confirmation window: no alert", async ({ expect }) => {
    const c = await client("Restart SARL", "restart");
    const [host] = c.hosts;
    for (let i = 0; i < 2; i++) {
      await host!.agent.kill();
      host!.agent = run(host!.stateDir);
      await connected(host!);
      await sleep(2000);
    }
    await sleep(CONFIRMATION_MS + 3000);
    expect(c.webhooks()).toEqual([]);
    const alerts = await api.request<{ items: unknown[] }>("GET", `/api/v1/alerts?clientId=${c.clientId}`);
    expect(alerts.body.items).toEqual([]);
  });
});
