import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { ROOT, startCollector, type CollectorProcess } from "../support/processes.js";

// Browser tests: Debian's Chromium (installed by .ci/run) driven by playwright-core against a real collector
// process that serves the built dashboard.

/** Where each test leaves a screenshot of the view it checked, for a person to look at (ignored by git). */
export const SCREENSHOTS = path.join(ROOT, "test/browser/screenshots");

/** Debian's Chromium; VIGIL_CHROMIUM overrides. */
const CHROMIUM = process.env.VIGIL_CHROMIUM ?? "/usr/bin/chromium";

/** Password every test user gets. */
export const PASSWORD = "correct horse battery";

/** A collector with the dashboard, a browser, and the admin API to seed data with. */
export interface DashboardRig {
  collector: CollectorProcess;
  api: AdminApi;
  browser: Browser;
  /** A fresh browser context (own cookies) logged in as this user, at `path`. */
  loginAs(username: string, path?: string, options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  /** Creates a dashboard user through the API (password {@link PASSWORD}). */
  createUser(username: string, role: "admin" | "technician" | "vcio" | "viewer", clientId?: string): Promise<{ id: string }>;
  close(): Promise<void>;
}

/** Starts a collector (agent settings safe for loopback) and Chromium. */
export async function startDashboardRig(env: Record<string, string> = {}): Promise<DashboardRig> {
  const collector = await startCollector({ env: { ...LOOPBACK_AGENT_ENV, ...env } });
  const api = new AdminApi(collector.url, collector.adminToken);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  const contexts: BrowserContext[] = [];
  return {
    collector,
    api,
    browser,
    async loginAs(username, at = "/", options = {}) {
      const context = await browser.newContext({ baseURL: collector.url, acceptDownloads: true, viewport: options.viewport ?? { width: 1280, height: 860 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(at);
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("navigation", { name: "Main" }).waitFor();
      return page;
    },
    async createUser(username, role, clientId) {
      const res = await api.request<{ id: string }>("POST", "/api/v1/users", { username, password: PASSWORD, role, ...(clientId ? { clientId } : {}) });
      if (res.status !== 201) throw new Error(`create user ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await collector.stop();
    },
  };
}

/** Saves a full-page screenshot as test/browser/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
