import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EOL_TABLE } from "../../inventory/eol-data.js";
import { storeInventory, ubuntuServer, windowsWorkstation } from "../../inventory/testing.js";
import { createTestApi, type Json, type TestApi } from "../testing.js";
import { parseCsv } from "../../reports/testing.js";

const DAY = 86_400_000;
const GiB = 1024 ** 3;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("GET /api/v1/reports/lifecycle", () => {
  let t: TestApi;
  let client: { clientId: string; siteId: string };
  const ids: Record<string, string> = {};
  const now = Date.now();
  // An OS whose end of support is 1–179 days away today, if the table still has one.
  const approaching = EOL_TABLE.find((e) => e.product === "ubuntu" && Date.parse(e.eol) > now + DAY && Date.parse(e.eol) < now + 179 * DAY);

  async function enroll(hostname: string): Promise<string> {
    const token = (await t.call("POST", "/api/v1/enrollment-tokens", { body: client })).body.token;
    const e = await t.call("POST", "/api/v1/agents/enroll", { token: null, body: { token, hostname, agentVersion: "0.1.0", machineId: `m-${hostname}` } });
    return (ids[hostname] = e.body.agentId);
  }

  beforeAll(async () => {
    t = await createTestApi();
    client = await t.seedClientAndSite("Acme Dental");
    const w = windowsWorkstation({ collectedAt: now - DAY });
    const u = ubuntuServer({ collectedAt: now - DAY });
    const host = async (hostname: string, doc: typeof w) => storeInventory(t.store, { ...client, agentId: await enroll(hostname) }, doc, 1);

    // Windows 10 (past end of support) on a desktop from 2018 (over 7 years old) with a healthy disk.
    await host("ACC-PC07", w);
    // A current Ubuntu LTS on young hardware, but a data disk that reports SMART failure.
    await host("fs01", ubuntuServer({
      ...u,
      system: { ...u.system, hostname: "fs01" },
      os: { ...u.os, release: "24.04.1 LTS", versionId: "24.04" },
      bios: { ...u.bios, releaseDate: isoDay(now - 400 * DAY) },
      disks: [...u.disks, { device: "/dev/sdb", model: "ST4000NM000A", serial: "WS2ABCDE", vendor: "Seagate", firmware: "TN02", sizeBytes: 4000787030016, type: "HDD", interface: "SATA", smart: "failing" }],
    }));
    // An OS release the table does not know, on a virtual machine with an old virtual BIOS date (no hardware risk).
    await host("lab01", ubuntuServer({
      ...u,
      system: { ...u.system, hostname: "lab01", virtual: true, virtualHost: "KVM" },
      bios: { ...u.bios, releaseDate: "2014-04-01" },
      os: { ...u.os, release: "26.04 LTS", versionId: "26.04" },
    }));
    // A hostname that a spreadsheet would run as a formula.
    await host("evil", windowsWorkstation({ ...w, system: { ...w.system, hostname: '=HYPERLINK("http://x","y")' }, bios: { ...w.bios, releaseDate: isoDay(now - 100 * DAY) } }));
    if (approaching) {
      await host("web02", ubuntuServer({ ...u, system: { ...u.system, hostname: "web02" }, bios: { ...u.bios, releaseDate: isoDay(now - 100 * DAY) }, os: { ...u.os, versionId: approaching.cycle, release: `${approaching.cycle} LTS` } }));
    }
    // A host whose agent never sent an inventory, and a revoked one (left out).
    await enroll("old-agent");
    await t.call("POST", `/api/v1/hosts/${await enroll("retired")}/revoke`);
    // fs01's /srv: 400 of 500 GiB used, growing 10 GiB a day for four days. Raw samples feed the hourly rollup.
    const labels = '{"device":"/dev/sdb1","fstype":"xfs","mount":"/srv"}';
    const rows = [];
    for (let i = 0; i <= 4 * 24 * 2; i++) {
      const ts = now - 4 * DAY + i * 1800_000;
      const used = (360 + (10 * (ts - (now - 4 * DAY))) / DAY) * GiB;
      const base = { client_id: client.clientId, site_id: client.siteId, agent_id: ids.fs01, labels, ts, boot_id: "b", seq: 1000 + i, skew_ms: 0, received_at: ts };
      rows.push({ ...base, name: "fs.used_bytes", value: used }, { ...base, name: "fs.size_bytes", value: 500 * GiB }, { ...base, name: "fs.used_pct", value: (used / (500 * GiB)) * 100 });
    }
    await t.store.insert("metrics_raw", rows);
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists each host's risks with severity and a recommendation, most severe first", async () => {
    const res = await t.call("GET", `/api/v1/reports/lifecycle?clientId=${client.clientId}`);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({ clientId: client.clientId, clientName: "Acme Dental", eolTableCheckedOn: "2026-11-23", hosts: approaching ? 6 : 5 });
    const by = (hostname: string) => r.risks.filter((x: Json) => x.hostname === hostname).map((x: Json) => [x.category, x.severity]);
    expect(by("ACC-PC07").sort()).toEqual([["hardware_age", "critical"], ["os_eol", "critical"]]);
    expect(by("fs01").sort()).toEqual([["disk_full", "warning"], ["disk_smart", "critical"]]);
    expect(by("lab01")).toEqual([["os_unknown", "info"]]);
    expect(by("old-agent")).toEqual([["no_inventory", "info"]]);
    expect(by("retired")).toEqual([]);
    if (approaching) expect(by("web02")).toEqual([["os_eol", "warning"]]);

    for (const risk of r.risks) {
      expect(risk.hostId).toBe(ids[risk.hostname] ?? ids.evil);
      expect(risk.siteId).toBe(client.siteId);
      expect(risk.recommendation.length).toBeGreaterThan(10);
    }
    const order = { critical: 0, warning: 1, info: 2 } as Record<string, number>;
    const severities = r.risks.map((x: Json) => order[x.severity]);
    expect([...severities].sort()).toEqual(severities);
    expect(r.summary).toEqual({
      critical: r.risks.filter((x: Json) => x.severity === "critical").length,
      warning: r.risks.filter((x: Json) => x.severity === "warning").length,
      info: 2,
    });

    const os = r.risks.find((x: Json) => x.hostname === "ACC-PC07" && x.category === "os_eol");
    expect(os).toMatchObject({ title: "Windows 10 Home/Pro 22H2 is past its end of support (2025-10-14)", dueDate: "2025-10-14", source: expect.stringContaining("learn.microsoft.com") });
    const full = r.risks.find((x: Json) => x.category === "disk_full");
    expect(full.title).toMatch(/^Filesystem \/srv forecast full on \d{4}-\d{2}-\d{2} \(in (9|10) days\)$/);
    expect(full.dueDate).toBe(isoDay(now + 10 * DAY));
    expect(full.recommendation).toMatch(/^Free space or extend the volume before /);
  });

  it("gives the same report as CSV, one row per risk, safe to open in a spreadsheet", async () => {
    const json = (await t.call("GET", `/api/v1/reports/lifecycle?clientId=${client.clientId}`)).body;
    const res = await t.call("GET", `/api/v1/reports/lifecycle?clientId=${client.clientId}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="lifecycle-Acme-Dental-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parseCsv(res.body as string);
    expect(rows[0]).toEqual(["severity", "category", "hostname", "host_id", "site_id", "title", "due_date", "recommendation", "detail", "source"]);
    expect(rows).toHaveLength(json.risks.length + 1);
    rows.slice(1).forEach((row, i) => {
      const risk = json.risks[i];
      const hostname = risk.hostname.startsWith("=") ? `'${risk.hostname}` : risk.hostname;
      expect(row).toEqual([risk.severity, risk.category, hostname, risk.hostId, risk.siteId, risk.title, risk.dueDate ?? "", risk.recommendation, risk.detail, risk.source ?? ""]);
    });
    expect((res.body as string).includes(`'=HYPERLINK(""http://x"",""y"")`)).toBe(true);
  });

  it("answers 404 for an unknown client and 400 for a bad format", async () => {
    expect((await t.call("GET", "/api/v1/reports/lifecycle?clientId=nosuch")).status).toBe(404);
    const bad = await t.call("GET", `/api/v1/reports/lifecycle?clientId=${client.clientId}&format=pdf`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^format: /);
    expect((await t.call("GET", "/api/v1/reports/lifecycle")).body.error.message).toMatch(/^clientId: /);
  });

  it("requires the admin token", async () => {
    expect((await t.call("GET", `/api/v1/reports/lifecycle?clientId=${client.clientId}`, { token: null })).status).toBe(401);
  });
});
