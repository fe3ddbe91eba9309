import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, enrollAgent, startAgent, tempDir, waitFor, type AgentProcess } from "../support/processes.js";
import { screenshot, startDashboardRig, type DashboardRig } from "./support.js";

// Issue 6 §3 "Fleet" and §6 "see the fleet": a technician sees a real agent's client, site and host `up`; the
// agent is SIGKILLed and the open page shows the host `down` by itself, without a reload.

describe("fleet view", () => {
  let rig: DashboardRig;
  let agent: AgentProcess;
  let hostId: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    rig = await startDashboardRig();
    dirs.push(rig.collector.dataDir);
    const enrolment = await rig.api.enrollmentToken("Fleet Plumbing");
    const stateDir = tempDir("browser-fleet");
    dirs.push(stateDir);
    hostId = await enrollAgent(rig.collector.url, enrolment.token, stateDir);
    agent = startAgent(stateDir);
    await waitFor(() => {
      const status = JSON.parse(readFileSync(path.join(stateDir, "status.json"), "utf8")) as { connected: boolean; pid: number };
      return status.connected && status.pid === agent.child.pid;
    }, "agent connected");
    await rig.createUser("tech", "technician");
  });

  afterAll(async () => {
    await agent?.kill().catch(() => undefined);
    await rig?.close();
    cleanup(...dirs);
  });

  it("shows clients, sites and hosts with their status, and a host going down without a reload", async () => {
    const page = await rig.loginAs("tech");
    const client = page.getByRole("region", { name: /Fleet Plumbing/ });
    await client.getByRole("heading", { name: /Main Office/ }).waitFor();
    const row = page.locator(`tr[data-host-id="${hostId}"]`);
    await expect.poll(() => row.locator(".badge").textContent()).toBe("up");
    expect(await row.textContent()).toContain("connected now");
    expect(await row.getByRole("link").getAttribute("href")).toBe(`/hosts/${hostId}`);
    // The event stream is open: changes from now on arrive by themselves.
    await page.getByRole("status").filter({ hasText: /^Live$/ }).waitFor();
    const summary = page.getByLabel("Fleet summary");
    expect(await summary.textContent()).toMatch(/Hosts1Up1Down0/);
    await screenshot(page, "fleet");

    // A page that reloaded would lose this mark.
    await page.evaluate(() => ((window as unknown as { vigilMark: number }).vigilMark = 1));
    await agent.kill();
    await expect.poll(() => row.locator(".badge").textContent(), { timeout: 20_000 }).toBe("down");
    expect(await row.textContent()).toMatch(/last seen (just now|\d+ s ago)/);
    expect(await client.getByRole("heading", { level: 2 }).textContent()).toContain("down");
    expect(await summary.textContent()).toMatch(/Up0Down1/);
    expect(await page.evaluate(() => (window as unknown as { vigilMark?: number }).vigilMark)).toBe(1);

    const filter = page.getByLabel("Filter", { exact: true });
    await filter.fill("no-such-host");
    await page.getByText("No host matches").waitFor();
    await filter.fill("down plumbing");
    await row.waitFor();
    await screenshot(page, "fleet-down");
  });
});
