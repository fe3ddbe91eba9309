import { readFileSync } from "node:fs";
import path from "node:path";
import { ENROLL_PATH, EnrollResponse } from "@vigil/protocol";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedHost } from "../e2e/availability/scripted-host.js";
import { cleanup, enrollAgent, startAgent, tempDir, waitFor, type AgentProcess } from "../support/processes.js";
import { screenshot, startDashboardRig, type DashboardRig } from "./support.js";

// Issue 6 §3 "Incidents": a list with cause and duration, annotated through the form. Two outages at once,
// in two sites of one client (one host each, so neither site counts as gone dark as a whole):
// - a real agent SIGKILLed and left dead: its host is DOWN "agent silent" while nothing is heard from it.
//   (Restarting it in the same boot would turn the gap into UNKNOWN time, not an incident: the host was
//   running all along, as DESIGN.md says; so it stays dead for this test.)
// - a simulated host through the real protocol that crashes: silent without goodbye, back with a new boot
//   id, i.e. one resolved "crash" incident with a known duration. That one is annotated. Its agent then
//   stops with a goodbye, so it adds no second incident.

interface ApiIncident {
  id: string;
  hostId: string;
  cause: string;
  resolvedAt: string | null;
  durationSeconds: number;
  note: string | null;
  excluded: boolean;
  exclusionReason: string | null;
  acknowledgedBy: string | null;
}

const S = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = (t: number) => sleep(Math.max(0, t - Date.now()));

describe("incidents view", () => {
  let rig: DashboardRig;
  let agent: AgentProcess;
  let crashy: ScriptedHost | undefined;
  const dirs: string[] = [];
  let clientId: string;
  let agentHostId: string;
  let agentHostname: string;

  /** Waits until the element is visible (fails the test when it never is). */
  const see = (locator: Locator, timeout = 10_000) => locator.waitFor({ state: "visible", timeout });
  const incidents = async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const r = await rig.api.request<{ items: ApiIncident[] }>("GET", `/api/v1/incidents?clientId=${clientId}&from=${from}&to=${new Date().toISOString()}`);
    expect(r.status).toBe(200);
    return r.body.items;
  };

  beforeAll(async () => {
    rig = await startDashboardRig();
    dirs.push(rig.collector.dataDir);
    const office = await rig.api.enrollmentToken("Incident Bakery");
    clientId = office.clientId;
    const depot = await rig.api.request<{ id: string }>("POST", "/api/v1/sites", { clientId, name: "Depot" });
    const depotToken = await rig.api.request<{ token: string }>("POST", "/api/v1/enrollment-tokens", { clientId, siteId: depot.body.id });
    expect(depotToken.status).toBe(201);

    const stateDir = tempDir("browser-incidents");
    dirs.push(stateDir);
    agentHostId = await enrollAgent(rig.collector.url, office.token, stateDir);
    agent = startAgent(stateDir);
    const enrolled = await fetch(rig.collector.url + ENROLL_PATH, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: depotToken.body.token, hostname: "till-01", agentVersion: "0.0.0-sim", os: { platform: "linux", release: "sim", arch: "x64" }, machineId: "browser-till-01" }),
    });
    const { agentId, agentToken } = EnrollResponse.parse(await enrolled.json());
    crashy = new ScriptedHost(rig.collector.url, agentId, agentToken, "till-01");
    await crashy.connect();
    await waitFor(() => {
      const status = JSON.parse(readFileSync(path.join(stateDir, "status.json"), "utf8")) as { connected: boolean; pid: number };
      return status.connected && status.pid === agent.child.pid;
    }, "agent connected");
    agentHostname = (await rig.api.request<{ hostname: string }>("GET", `/api/v1/hosts/${agentHostId}`)).body.hostname;

    // till-01: up 4 s, silent 6 s without a goodbye, back in a new boot. The real agent dies meanwhile.
    const T0 = Math.ceil((Date.now() + 500) / S) * S;
    for (let k = 0; k <= 4; k++) {
      await until(T0 + k * S);
      crashy.sample(T0 + k * S);
    }
    await crashy.drained();
    crashy.drop();
    crashy.reboot();
    await agent.kill();
    await until(T0 + 10 * S - 300);
    await crashy.connect();
    for (let k = 10; k <= 12; k++) {
      await until(T0 + k * S);
      crashy.sample(T0 + k * S);
    }
    await crashy.drained();
    // Its agent then stops cleanly (goodbye): unobserved time, not another outage.
    await crashy.goodbye("service_stop");
    await waitFor(async () => {
      const list = await incidents();
      return list.some((i) => i.cause === "crash" && i.resolvedAt) && list.some((i) => i.hostId === agentHostId);
    }, "both incidents listed");
    await rig.createUser("vcio-anna", "vcio");
    await rig.createUser("bakery-viewer", "viewer", clientId);
  });

  afterAll(async () => {
    crashy?.shutdown();
    await agent?.kill().catch(() => undefined);
    await rig?.close();
    cleanup(...dirs);
  });

  it("lists both outages with cause and duration; an exclusion needs a reason; the annotation is saved", async () => {
    const page = await rig.loginAs("vcio-anna", "/incidents");
    const crash = (await incidents()).find((i) => i.cause === "crash")!;
    const crashRow = page.locator(`tr[data-incident-id="${crash.id}"]`);
    await see(crashRow);
    const crashText = await crashRow.innerText();
    expect(crashText).toContain("till-01");
    expect(crashText).toContain("Depot");
    expect(crashText).toContain("Crash");
    expect(crashText).toContain(`${crash.durationSeconds} s`);
    expect(crashText).toContain("Counts");
    const silentRow = page.locator("tr", { hasText: agentHostname }).filter({ hasText: "Not reporting" });
    await see(silentRow);
    expect(await silentRow.innerText()).toContain("still down");

    await crashRow.getByRole("button", { name: /^Annotate incident on till-01/ }).click();
    const dialog = page.getByRole("dialog", { name: "Annotate incident on till-01" });
    await dialog.getByLabel("Root-cause note").fill("Till PC lost power when the oven tripped the breaker");
    await dialog.getByLabel("Exclude from the SLA").check();
    await dialog.getByRole("button", { name: "Save" }).click();
    // Checked before sending: the reason's error beside its field, nothing stored.
    await see(dialog.getByText("Required: say why"));
    expect(await dialog.getByLabel("Exclusion reason").getAttribute("aria-invalid")).toBe("true");
    expect((await incidents()).find((i) => i.id === crash.id)).toMatchObject({ note: null, excluded: false });

    await dialog.getByLabel("Exclusion reason").fill("Breaker trip on the client's side, outside the managed scope");
    await dialog.getByLabel("Acknowledge now").check();
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });
    await see(crashRow.getByText("Excluded: Breaker trip"));
    const rowText = await crashRow.innerText();
    expect(rowText).toContain("Note: Till PC lost power");
    expect(rowText).toContain("vcio-anna");
    expect((await incidents()).find((i) => i.id === crash.id)).toMatchObject({
      note: "Till PC lost power when the oven tripped the breaker",
      excluded: true,
      exclusionReason: "Breaker trip on the client's side, outside the managed scope",
      acknowledgedBy: "user:vcio-anna",
    });
    await screenshot(page, "incidents");
  });

  it("a viewer sees the client's incidents without the annotate controls, at phone width", async () => {
    const page = await rig.loginAs("bakery-viewer", "/incidents?period=7", { viewport: { width: 390, height: 844 } });
    await see(page.getByRole("cell", { name: /till-01/ }));
    expect(await page.getByRole("cell", { name: /Excluded: Breaker trip/ }).count()).toBe(1);
    expect(await page.getByRole("button", { name: /Annotate/ }).count()).toBe(0);
    expect(await page.getByRole("columnheader", { name: "Annotate" }).count()).toBe(0);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(page, "incidents-phone-viewer");

    // A custom period is checked before it is asked for, then lists what it covers.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString("sv-SE");
    await page.getByLabel("Period").selectOption("custom");
    await page.getByLabel("From").fill(day(0));
    await page.getByLabel("To (inclusive)").fill(day(-2));
    await see(page.getByText("The last day must not be before the first."));
    await page.getByLabel("From").fill(day(-2));
    await page.getByLabel("To (inclusive)").fill(day(0));
    await see(page.getByRole("cell", { name: /Excluded: Breaker trip/ }));
    expect(new URL(page.url()).searchParams.get("from")).toBe(day(-2));
  });
});
