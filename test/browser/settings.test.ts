import { createServer } from "node:net";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../../collector/src/alerts/channels/testing.js";
import { cleanup, enrollAgent, tempDir } from "../support/processes.js";
import { PASSWORD, screenshot, startDashboardRig, type DashboardRig } from "./support.js";

// Issue 6 §3 "Settings", §5 "Bad input" and §6 "create an enrollment token and copy its command": an admin sets
// up a client, a site and an enrollment token through the pages, copies the install command from the clipboard
// and a real `vigil-agent enroll` proves the token works; bad input is refused beside its field (by the page,
// and by the server); an expired session keeps what was typed; a viewer is created on the Users page; a
// maintenance window, a webhook channel (its test delivered to a loopback receiver) and a route are added.

interface ClientDetail {
  timezone: string;
  policy: { sloPct?: number; costModel?: Record<string, number> };
  effective: { defaults: string[] };
}

describe("settings view", () => {
  let rig: DashboardRig;
  let receiver: Receiver;
  let page: Page;
  const dirs: string[] = [];
  let clientId = "";

  beforeAll(async () => {
    // A fixed port: the install command names the collector's public URL, which a port of 0 cannot give.
    rig = await startDashboardRig({ VIGIL_PORT: String(await freePort()) });
    receiver = await startReceiver();
    dirs.push(rig.collector.dataDir);
    await rig.createUser("boss", "admin");
    await rig.createUser("tech", "technician");
    page = await rig.loginAs("boss", "/settings");
  });

  afterAll(async () => {
    await rig?.close();
    await receiver?.close();
    cleanup(...dirs);
  });

  /** Waits until the element is visible; when it never is, leaves a screenshot of the page to look at. */
  const see = async (locator: Locator, timeout = 10_000) => {
    try {
      await locator.waitFor({ state: "visible", timeout });
    } catch (err) {
      await screenshot(locator.page(), "settings-failure").catch(() => undefined);
      throw err;
    }
  };
  const client = async () => (await rig.api.request<ClientDetail>("GET", `/api/v1/clients/${clientId}`)).body;
  /** The error text shown beside a control (Field wires it with aria-describedby). */
  const errorOf = async (control: Locator) => {
    expect(await control.getAttribute("aria-invalid")).toBe("true");
    const ids = (await control.getAttribute("aria-describedby"))!.split(" ");
    return page.locator(`[id="${ids[0]}"]`).textContent();
  };
  /** Answers to the PATCHes the page sends for the client, to tell a refusal by the page from one by the server. */
  const patches: Array<{ status: number; body: string }> = [];

  it("creates a client, a site and an enrollment token; Copy puts the install command on the clipboard; the agent enrolls with it", async () => {
    await see(page.getByText("No clients yet — create the first one below."));
    expect(new URL(page.url()).pathname).toBe("/settings/clients");
    page.on("response", async (r) => {
      if (r.request().method() === "PATCH" && r.url().includes("/api/v1/clients/")) patches.push({ status: r.status(), body: await r.text() });
    });

    const newClient = page.getByRole("form", { name: "New client" });
    await newClient.getByLabel("Name").fill("Harbor Dental");
    await newClient.getByLabel("Time zone").fill("Europe/Lisbon");
    await newClient.getByLabel("Currency").fill("eur");
    await newClient.getByRole("button", { name: "Create client" }).click();
    await see(page.getByRole("heading", { name: "Harbor Dental", level: 1 }));
    clientId = new URL(page.url()).pathname.split("/").pop()!;
    expect((await client()).timezone).toBe("Europe/Lisbon");

    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Sites" }).click();
    await see(page.getByText("Harbor Dental has no sites yet"));
    await page.getByRole("form", { name: "New site" }).getByLabel("Site name").fill("Main office");
    await page.getByRole("button", { name: "Add site" }).click();
    await see(page.getByRole("cell", { name: "Main office", exact: true }));
    await screenshot(page, "settings-sites");

    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Enrollment tokens" }).click();
    await see(page.getByText("No tokens for Harbor Dental yet"));
    await page.getByRole("button", { name: "Create token" }).click();
    await see(page.getByText("This token is shown only once"));
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Copy" }).click();
    await see(page.getByRole("status").filter({ hasText: "Copied" }));
    const copied = await page.evaluate<string>("navigator.clipboard.readText()");
    expect(copied).toBe(await page.getByLabel("Install command", { exact: true }).textContent());
    const m = /^curl -fsSL (\S+)\/install\.sh \| sudo sh -s -- --token (vge_\S+)$/.exec(copied);
    expect(m, copied).not.toBeNull();
    expect(m![1]).toBe(rig.collector.url);
    const script = await fetch(`${m![1]}/install.sh`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain("--token");
    await see(page.getByRole("cell", { name: "active" }));
    await screenshot(page, "settings-enrollment");

    const stateDir = tempDir("browser-settings");
    dirs.push(stateDir);
    const agentId = await enrollAgent(rig.collector.url, m![2]!, stateDir);
    const host = await rig.api.request<{ clientId: string; siteId: string }>("GET", `/api/v1/hosts/${agentId}`);
    expect(host.status).toBe(200);
    expect(host.body.clientId).toBe(clientId);
  });

  it("refuses an SLO of 120 beside the field without sending it, and shows the server's refusal of an unknown time zone beside its field", async () => {
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Clients" }).click();
    await page.getByRole("link", { name: "Harbor Dental" }).click();
    const sloForm = page.getByRole("form", { name: "SLA target" });
    const slo = sloForm.getByLabel("SLA target (SLO %)");
    await slo.fill("120");
    await sloForm.getByRole("button", { name: "Save", exact: true }).click();
    expect(await errorOf(slo)).toBe("must be between 0 and 100 (percent)");
    expect(patches).toEqual([]);
    const unchanged = await client();
    expect(unchanged.policy.sloPct).toBeUndefined();
    expect(unchanged.effective.defaults).toContain("sloPct");

    const general = page.getByRole("form", { name: "Name, time zone and currency" });
    const zone = general.getByLabel("Time zone");
    await zone.fill("Mars/Base");
    await general.getByRole("button", { name: "Save", exact: true }).click();
    await see(general.getByText("not a valid IANA time zone"));
    expect(await errorOf(zone)).toBe("not a valid IANA time zone");
    expect(patches).toEqual([{ status: 400, body: expect.stringContaining('"timezone: not a valid IANA time zone"') }]);
    expect((await client()).timezone).toBe("Europe/Lisbon");
    expect(await zone.inputValue()).toBe("Mars/Base");
    await screenshot(page, "settings-client-policy");

    await zone.fill("Europe/Lisbon");
    await slo.fill("99.95");
    await sloForm.getByRole("button", { name: "Save", exact: true }).click();
    await see(sloForm.getByRole("status").filter({ hasText: "SLA target saved" }));
    expect((await client()).policy.sloPct).toBe(99.95);
  });

  it("keeps what was typed when the session expired: the re-login dialog appears, and after logging in the change is saved", async () => {
    const cost = page.getByRole("form", { name: "Downtime cost model" });
    await cost.getByLabel("Employees affected").fill("35");
    await cost.getByLabel("Annual revenue").fill("5000000");
    await page.context().clearCookies();
    await cost.getByRole("button", { name: "Save", exact: true }).click();

    const dialog = page.getByRole("dialog", { name: "Your session expired" });
    await see(dialog);
    expect((await client()).policy.costModel).toBeUndefined();
    await dialog.getByLabel("Password").fill(PASSWORD);
    await dialog.getByRole("button", { name: "Log in" }).click();
    await see(cost.getByRole("status").filter({ hasText: "Saved the cost model." }));
    expect(await dialog.count()).toBe(0);
    expect((await client()).policy.costModel).toEqual({ employees: 35, annualRevenue: 5_000_000 });
    expect(await cost.getByLabel("Employees affected").inputValue()).toBe("35");
    expect(await cost.getByLabel("Annual revenue").inputValue()).toBe("5000000");
  });

  it("creates a viewer on the Users page (a too-short password is refused first), who has no Settings", async () => {
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Users" }).click();
    const form = page.getByRole("form", { name: "New user" });
    await form.getByLabel("Username").fill("harbor-viewer");
    await form.getByLabel("Password").fill("short");
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Add user" }).click();
    expect(await errorOf(form.getByLabel("Password"))).toBe("must be at least 10 characters");
    expect(await errorOf(form.getByLabel("Client"))).toBe("a viewer sees one client: choose it");

    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByLabel("Client").selectOption({ label: "Harbor Dental" });
    await form.getByRole("button", { name: "Add user" }).click();
    await see(form.getByRole("status").filter({ hasText: "Added harbor-viewer (viewer)." }));
    await see(page.getByText("harbor-viewer", { exact: true }));
    await screenshot(page, "settings-users");
    const users = await rig.api.request<{ items: Array<{ username: string; role: string; clientId: string | null }> }>("GET", "/api/v1/users");
    expect(users.body.items.find((u) => u.username === "harbor-viewer")).toMatchObject({ role: "viewer", clientId });

    const viewer = await rig.loginAs("harbor-viewer", "/settings");
    await see(viewer.getByText("Your role has no settings to change."));
    expect(await viewer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).count()).toBe(0);
    await viewer.context().close();
  });

  it("adds a weekly maintenance window, a webhook channel that passes its test (its secret never shown back) and a route to it", async () => {
    const settingsNav = page.getByRole("navigation", { name: "Settings" });
    await settingsNav.getByRole("link", { name: "Maintenance windows" }).click();
    const mw = page.getByRole("form", { name: "New maintenance window" });
    await mw.getByLabel("Every week").check();
    await mw.getByLabel("Duration (minutes)").fill("0");
    await mw.getByLabel("Reason").fill("Patch night");
    await mw.getByRole("button", { name: "Add window" }).click();
    expect(await errorOf(mw.getByLabel("Duration (minutes)"))).toBe("must be from 1 to 44640");
    await mw.getByLabel("Duration (minutes)").fill("120");
    await mw.getByRole("button", { name: "Add window" }).click();
    await see(mw.getByRole("status").filter({ hasText: "Maintenance window added." }));
    await see(page.getByRole("cell", { name: "Every Sunday at 02:00 for 2 h (Europe/Lisbon)" }));
    const windows = await rig.api.request<{ items: Array<{ kind: string; weekday: string; reason: string }> }>("GET", `/api/v1/maintenance-windows?clientId=${clientId}`);
    expect(windows.body.items).toEqual([expect.objectContaining({ kind: "weekly", weekday: "sun", reason: "Patch night" })]);

    await settingsNav.getByRole("link", { name: "Alert channels" }).click();
    const ch = page.getByRole("form", { name: "New channel" });
    const secret = "hmac-secret-" + "k".repeat(12);
    await ch.getByLabel("Type").selectOption("webhook");
    await ch.getByLabel("Name").fill("Dental hook");
    await ch.getByLabel("Webhook URL").fill("not a url");
    await ch.getByLabel("Signing secret (optional)").fill("short");
    await ch.getByRole("button", { name: "Add channel" }).click();
    expect(await errorOf(ch.getByLabel("Webhook URL"))).toBe("must be an absolute URL, e.g. https://hooks.example.com/…");
    expect(await errorOf(ch.getByLabel("Signing secret (optional)"))).toBe("must be at least 16 characters (or blank: unsigned)");
    await ch.getByLabel("Webhook URL").fill(`${receiver.origin}/hook`);
    await ch.getByLabel("Signing secret (optional)").fill(secret);
    await ch.getByRole("button", { name: "Add channel" }).click();
    await see(ch.getByRole("status").filter({ hasText: "Added Dental hook." }));
    await page.getByRole("button", { name: "Send test to Dental hook" }).click();
    await see(page.getByText("Test delivered (HTTP 200)."));
    expect(receiver.requests.length).toBe(1);
    expect(await page.content()).not.toContain(secret);

    await settingsNav.getByRole("link", { name: "Alert routes" }).click();
    const route = page.getByRole("form", { name: "New route" });
    await route.getByLabel("Name").fill("Critical to the hook");
    await route.getByRole("group", { name: "Severities (none ticked: all)" }).getByLabel("critical").check();
    await route.getByRole("group", { name: "Notify at once" }).getByLabel("Dental hook").check();
    await route.getByRole("button", { name: "Add route" }).click();
    await see(page.getByRole("cell", { name: "Critical to the hook", exact: true }));
    const channels = await rig.api.request<{ items: Array<{ id: string; name: string }> }>("GET", "/api/v1/channels");
    const routes = await rig.api.request<{ items: Array<{ name: string; severities: string[]; channelIds: string[] }> }>("GET", "/api/v1/alert-routes");
    expect(routes.body.items).toEqual([
      expect.objectContaining({ name: "Critical to the hook", severities: ["critical"], channelIds: [channels.body.items.find((c) => c.name === "Dental hook")!.id] }),
    ]);
  });

  it("shows each settings page, a technician only theirs, and works at phone width", async () => {
    const settingsNav = page.getByRole("navigation", { name: "Settings" });
    for (const [link, heading, shot] of [
      ["Maintenance windows", "New maintenance window", "settings-maintenance"],
      ["Alert channels", "New channel", "settings-channels"],
      ["Alert rules", "Built-in rules", "settings-rules"],
      ["Alert routes", "Routes", "settings-routes"],
    ] as const) {
      await settingsNav.getByRole("link", { name: link }).click();
      await see(page.getByRole("heading", { name: heading, exact: true }));
      await expect.poll(() => page.locator(".loading").count()).toBe(0);
      await screenshot(page, shot);
    }

    const tech = await rig.loginAs("tech", "/settings");
    const techNav = tech.getByRole("navigation", { name: "Settings" });
    await see(techNav);
    expect(await techNav.getByRole("link").allTextContents()).toEqual(["Sites", "Enrollment tokens", "Maintenance windows", "Alert channels", "Alert rules", "Alert routes"]);
    await tech.context().close();

    const phone = await rig.loginAs("boss", `/settings/enrollment?client=${clientId}`, { viewport: { width: 390, height: 844 } });
    await see(phone.getByRole("button", { name: "Create token" }));
    await see(phone.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Users" }));
    expect(await phone.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(phone, "settings-phone");
    await phone.context().close();
  });
});

/** A loopback port that is free now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
