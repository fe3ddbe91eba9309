import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, enrollAgent, tempDir } from "../support/processes.js";
import { PASSWORD, screenshot, startDashboardRig, type DashboardRig } from "./support.js";

// Issue 6 §2 and §6 "a viewer cannot see another client": a viewer of client A sees only A in the fleet, and a
// host of client B is "not found" in the page and in the API, exactly like a host that does not exist.

describe("a viewer's fleet", () => {
  let rig: DashboardRig;
  let hostA: string;
  let hostB: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    rig = await startDashboardRig();
    dirs.push(rig.collector.dataDir);
    const a = await rig.api.enrollmentToken("Alpha Dental");
    const b = await rig.api.enrollmentToken("Bravo Legal");
    for (const [token, set] of [
      [a.token, (id: string) => (hostA = id)],
      [b.token, (id: string) => (hostB = id)],
    ] as const) {
      const dir = tempDir("browser-viewer");
      dirs.push(dir);
      set(await enrollAgent(rig.collector.url, token, dir));
    }
    await rig.createUser("alpha-viewer", "viewer", a.clientId);
  });

  afterAll(async () => {
    await rig?.close();
    cleanup(...dirs);
  });

  it("sees only its own client, and another client's host is not found", async () => {
    const page = await rig.loginAs("alpha-viewer");
    await page.getByRole("region", { name: /Alpha Dental/ }).waitFor();
    const row = page.locator(`tr[data-host-id="${hostA}"]`);
    expect(await row.locator(".badge").textContent()).toBe("never");
    expect(await page.getByRole("region").count()).toBe(1);
    expect(await page.content()).not.toContain("Bravo Legal");
    expect(await page.getByRole("link", { name: "Settings" }).count()).toBe(0);
    await screenshot(page, "viewer");

    const fleet = await page.request.get("/api/v1/fleet");
    expect(fleet.status()).toBe(200);
    expect(((await fleet.json()) as { clients: Array<{ name: string }> }).clients.map((c) => c.name)).toEqual(["Alpha Dental"]);
    const other = await page.request.get(`/api/v1/hosts/${hostB}`);
    const unknown = await page.request.get("/api/v1/hosts/no-such-host");
    expect(other.status()).toBe(404);
    expect(await other.json()).toEqual(await unknown.json());
    expect((await page.request.get(`/api/v1/hosts/${hostB}/metrics?name=cpu.utilization`)).status()).toBe(404);

    await page.goto(`/hosts/${hostB}`);
    await page.getByRole("heading", { name: "Host not found" }).waitFor();
    expect(await page.content()).not.toContain("Bravo Legal");
    await screenshot(page, "viewer-other-host");
  });

  it("refuses a wrong password with a plain message, and logging out ends the session for the API too", async () => {
    const context = await rig.browser.newContext({ baseURL: rig.collector.url });
    try {
      const page = await context.newPage();
      await page.goto("/");
      await page.getByLabel("Username").fill("alpha-viewer");
      await page.getByLabel("Password").fill("not the password");
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("alert").filter({ hasText: "Wrong username or password." }).waitFor();
      expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(0);
      await screenshot(page, "login-refused");

      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("region", { name: /Alpha Dental/ }).waitFor();
      const cookie = (await context.cookies()).find((c) => c.name === "vigil_session")!;
      expect([cookie.httpOnly, cookie.sameSite]).toEqual([true, "Strict"]);

      await page.getByRole("button", { name: "Log out" }).click();
      await page.getByRole("heading", { name: "Log in to Vigil" }).waitFor();
      // The old cookie is worth nothing now, even replayed by hand.
      const replay = await fetch(`${rig.collector.url}/api/v1/fleet`, { headers: { Cookie: `vigil_session=${cookie.value}` } });
      expect(replay.status).toBe(401);
      await page.reload();
      await page.getByRole("heading", { name: "Log in to Vigil" }).waitFor();
      expect(await page.content()).not.toContain("Alpha Dental");
    } finally {
      await context.close();
    }
  });
});
