import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, enrollAgent, startAgent, tempDir, waitFor, type AgentProcess } from "../support/processes.js";
import { screenshot, startDashboardRig, type DashboardRig } from "./support.js";

// Issue 6 §3 "Host" and §6 "open a host and see its charts drawn": a real agent's CPU, memory, filesystem and
// network charts are drawn from its samples (uPlot canvas, and the chart's text summary lists values), the range
// switches to 24 h, the inventory tab shows its OS, and the page works at phone width.

const CHARTS = ["CPU utilisation", "Memory used", "Filesystems used", "Network traffic"];

describe("host view", () => {
  let rig: DashboardRig;
  let agent: AgentProcess;
  let hostId: string;
  let osText: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    rig = await startDashboardRig();
    dirs.push(rig.collector.dataDir);
    const enrolment = await rig.api.enrollmentToken("Host Bakery");
    const stateDir = tempDir("browser-host");
    dirs.push(stateDir);
    hostId = await enrollAgent(rig.collector.url, enrolment.token, stateDir);
    agent = startAgent(stateDir);
    // A few samples of every health metric, and the first inventory.
    await waitFor(async () => {
      const m = await rig.api.request<{ series: Array<{ name: string; points: unknown[] }> }>("GET", `/api/v1/hosts/${hostId}/metrics?name=cpu.utilization,net.rx_bps`);
      return m.body.series.length >= 2 && m.body.series.every((s) => s.points.length >= 3);
    }, "metrics stored");
    const inv = await waitFor(async () => {
      const r = await rig.api.request<{ inventory: { os: { distro: string; platform: string } } }>("GET", `/api/v1/hosts/${hostId}/inventory`);
      return r.status === 200 && r.body;
    }, "inventory stored", 45_000);
    osText = inv.inventory.os.distro || inv.inventory.os.platform;
    await rig.createUser("owner", "admin");
    // Recorded before any browser starts: the state file exists once the agent has connected.
    expect(JSON.parse(readFileSync(path.join(stateDir, "status.json"), "utf8")).connected).toBe(true);
  });

  afterAll(async () => {
    await agent?.kill().catch(() => undefined);
    await rig?.close();
    cleanup(...dirs);
  });

  /** Waits until every chart has drawn; returns each chart's text summary. */
  async function chartsDrawn(page: Page): Promise<string[]> {
    const summaries: string[] = [];
    for (const title of CHARTS) {
      const figure = page.getByRole("figure", { name: title });
      const image = figure.getByRole("img");
      await image.locator("canvas").waitFor();
      const label = (await image.getAttribute("aria-label")) ?? "";
      expect(label).toMatch(new RegExp(`^${title}\\. .*latest \\d`));
      summaries.push(label);
    }
    return summaries;
  }

  it("draws the host's charts, switches the range and shows its inventory", async () => {
    const page = await rig.loginAs("owner", `/hosts/${hostId}`);
    const heading = page.getByRole("heading", { level: 1 });
    await expect.poll(() => heading.textContent()).toMatch(/up$/);
    await page.getByText("Host Bakery / Main Office").waitFor();
    const summaries = await chartsDrawn(page);
    expect(summaries[2]).toMatch(/Filesystems used\. \/.*: latest/);
    expect(await page.getByRole("button", { name: "1 h" }).getAttribute("aria-pressed")).toBe("true");
    await screenshot(page, "host");

    await page.getByRole("button", { name: "24 h" }).click();
    expect(await page.getByRole("button", { name: "24 h" }).getAttribute("aria-pressed")).toBe("true");
    await page.getByText("1m averages").waitFor();
    await chartsDrawn(page);

    await page.getByRole("navigation", { name: "Host sections" }).getByRole("link", { name: "Inventory" }).click();
    await page.getByRole("heading", { name: "Operating system" }).waitFor();
    expect(await page.getByRole("region", { name: "Operating system" }).textContent()).toContain(osText);
    const software = page.getByLabel("Filter software");
    await software.fill("zz-no-such-package-zz");
    await page.getByText("Nothing matches").waitFor();
    await screenshot(page, "host-inventory");

    await page.getByRole("navigation", { name: "Host sections" }).getByRole("link", { name: "Incidents" }).click();
    await page.getByText(/Incidents of the last 90 days/).waitFor();
  });

  it("fits a phone screen", async () => {
    const page = await rig.loginAs("owner", `/hosts/${hostId}`, { viewport: { width: 390, height: 844 } });
    await chartsDrawn(page);
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      wide: [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 390).map((e) => `${e.tagName}.${e.className}`).slice(0, 15),
      canvases: [...document.querySelectorAll(".time-chart canvas")].map((c) => c.getBoundingClientRect().right),
    }));
    expect(widths.page, widths.wide.join(" ")).toBeLessThanOrEqual(390);
    for (const right of widths.canvases) expect(right).toBeLessThanOrEqual(390);
    await screenshot(page, "host-phone");
  });
});
