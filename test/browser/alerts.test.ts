import { readFileSync } from "node:fs";
import path from "node:path";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../../collector/src/alerts/channels/testing.js";
import { cleanup, enrollAgent, startAgent, tempDir, waitFor, type AgentProcess } from "../support/processes.js";
import { screenshot, startDashboardRig, type DashboardRig } from "./support.js";

// Issue 6 §3 "Alerts" and §6 "ack an alert": a real agent is SIGKILLed, the host-down alert fires after the
// confirmation window and is delivered to a loopback webhook; an on-call technician sees it under Firing
// (the open page picks it up by itself), acknowledges it, opens it from the notification's dashboard link and
// silences it; a viewer sees it without the buttons; the list also works at phone width.

interface WebhookBody {
  event: string;
  alert: { id: string };
  links: { dashboard: string };
}

interface ApiAlert {
  id: string;
  state: string;
  hostId: string | null;
  acknowledgedBy: string | null;
}

describe("alerts view", () => {
  let rig: DashboardRig;
  let receiver: Receiver;
  let agent: AgentProcess;
  const dirs: string[] = [];
  let clientId: string;
  let hostId: string;
  let hostname: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    rig = await startDashboardRig();
    dirs.push(rig.collector.dataDir);
    const enrolment = await rig.api.enrollmentToken("Alert Dental");
    clientId = enrolment.clientId;
    const channel = await rig.api.request("POST", "/api/v1/channels", { clientId, name: "Dental on-call", config: { type: "webhook", url: `${receiver.origin}/hook` } });
    expect(channel.status).toBe(201);
    const stateDir = tempDir("browser-alerts");
    dirs.push(stateDir);
    hostId = await enrollAgent(rig.collector.url, enrolment.token, stateDir);
    agent = startAgent(stateDir);
    await waitFor(() => {
      const status = JSON.parse(readFileSync(path.join(stateDir, "status.json"), "utf8")) as { connected: boolean; pid: number };
      return status.connected && status.pid === agent.child.pid;
    }, "agent connected");
    hostname = (await rig.api.request<{ hostname: string }>("GET", `/api/v1/hosts/${hostId}`)).body.hostname;
    await rig.createUser("oncall", "technician");
    await rig.createUser("dental-viewer", "viewer", clientId);
  });

  afterAll(async () => {
    await agent?.kill().catch(() => undefined);
    await rig?.close();
    await receiver?.close();
    cleanup(...dirs);
  });

  /** Waits until the element is visible (fails the test when it never is). */
  const see = (locator: Locator, timeout = 10_000) => locator.waitFor({ state: "visible", timeout });
  const firingWebhook = () => receiver.requests.map((r) => r.json() as WebhookBody).find((b) => b.event === "firing");

  it("a SIGKILLed agent's host-down alert shows under Firing by itself; Acknowledge records the user; the dashboard link opens its delivery log", async () => {
    const page = await rig.loginAs("oncall", "/alerts");
    await see(page.getByText("No alerts firing."));
    expect(await page.getByRole("link", { name: "Alert rules" }).getAttribute("href")).toBe("/settings/rules");

    await agent.kill();
    const firing = await waitFor(firingWebhook, "host-down webhook", 40_000);
    // No reload: the open list refreshes itself (every 15 s).
    const row = page.locator(`tr[data-alert-id="${firing.alert.id}"]`);
    await see(row, 25_000);
    expect(await row.getByRole("cell").allTextContents()).toEqual(
      expect.arrayContaining(["critical", "Alert Dental", "firing"].map((t) => expect.stringContaining(t))),
    );
    await see(row.getByRole("link", { name: "Host down" }));
    expect(await row.getByRole("link", { name: hostname }).getAttribute("href")).toBe(`/hosts/${hostId}`);

    await row.getByRole("button", { name: `Acknowledge alert on ${hostname}` }).click();
    // Acknowledged alerts leave the Firing tab.
    await row.waitFor({ state: "detached" });
    await see(page.getByText("No alerts firing."));
    const api = await rig.api.request<ApiAlert>("GET", `/api/v1/alerts/${firing.alert.id}`);
    expect(api.body.state).toBe("acknowledged");
    expect(api.body.acknowledgedBy).toContain("oncall");

    await page.getByRole("link", { name: "Acknowledged", exact: true }).click();
    const acked = page.locator(`tr[data-alert-id="${firing.alert.id}"]`);
    await see(acked.getByText("Acknowledged by"));
    expect(await acked.getByText("Acknowledged by").innerText()).toContain("oncall");
    expect(await acked.getByRole("button", { name: `Acknowledge alert on ${hostname}` }).count()).toBe(0);
    await screenshot(page, "alerts-acknowledged");

    // The notification's dashboard link is a page the SPA serves: the alert with its delivery log.
    const link = new URL(firing.links.dashboard);
    expect(link.pathname).toBe(`/alerts/${firing.alert.id}`);
    await page.goto(link.pathname);
    await see(page.getByRole("heading", { name: `Host down: ${hostname}` }));
    const delivery = page.locator("table.deliveries tbody tr").first();
    await see(delivery);
    const deliveryText = await delivery.innerText();
    for (const part of ["Dental on-call", "firing", "delivered (HTTP 200)"]) expect(deliveryText).toContain(part);
    expect(await page.locator("ol.timeline").innerText()).toContain("Acknowledged by oncall");

    // Silence asks for a reason before it sends anything.
    await page.getByRole("button", { name: `Silence alert on ${hostname}` }).click();
    const dialog = page.getByRole("dialog", { name: `Silence Host down on ${hostname}` });
    await dialog.getByLabel("For how long").selectOption("240");
    await dialog.getByRole("button", { name: "Silence", exact: true }).click();
    await see(dialog.getByText("Say why"));
    expect(await dialog.getByLabel("Reason").getAttribute("aria-invalid")).toBe("true");
    expect((await rig.api.request<{ items: unknown[] }>("GET", "/api/v1/silences")).body.items).toEqual([]);
    await dialog.getByLabel("Reason").fill("server room rewiring");
    await dialog.getByRole("button", { name: "Silence", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    const silences = await rig.api.request<{ items: Array<{ reason: string; matcher: { ruleKind?: string } }> }>("GET", "/api/v1/silences");
    expect(silences.body.items.map((s) => [s.reason, s.matcher.ruleKind])).toEqual([["server room rewiring", "host_down"]]);
    await screenshot(page, "alert-detail");
  });

  it("a viewer sees the client's alert without the on-call buttons; the list fits a phone", async () => {
    const alertId = firingWebhook()!.alert.id;
    const viewer = await rig.loginAs("dental-viewer", "/alerts?state=acknowledged");
    await see(viewer.locator(`tr[data-alert-id="${alertId}"]`).getByText("Acknowledged by"));
    expect(await viewer.getByRole("button", { name: /Acknowledge|Resolve|Silence/ }).count()).toBe(0);
    // The fleet links a host's alert count to its alerts only; another host's filter leaves this alert out.
    await viewer.goto(`/alerts?state=acknowledged&hostId=${hostId}`);
    await see(viewer.locator(`tr[data-alert-id="${alertId}"]`));
    await viewer.goto("/alerts?state=acknowledged&hostId=some-other-host");
    await see(viewer.getByText("No acknowledged alerts"));
    await viewer.getByRole("button", { name: "Show all hosts" }).click();
    await see(viewer.locator(`tr[data-alert-id="${alertId}"]`));

    const phone = await rig.loginAs("oncall", "/alerts?state=acknowledged", { viewport: { width: 390, height: 844 } });
    await see(phone.locator(`tr[data-alert-id="${alertId}"]`).getByRole("button", { name: `Resolve alert on ${hostname}` }));
    // Nothing sticks out sideways: the table becomes one card per alert.
    expect(await phone.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(phone, "alerts-phone");
  });
});
