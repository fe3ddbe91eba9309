import { mkdtempSync, rmSync } from "node:fs";
import type net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import cron from "node-cron";
import pino from "pino";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../store/clickhouse.js";
import { migrate } from "../../store/migrate.js";
import { saveClient } from "../../store/queries/clients.js";
import { saveClientPolicy } from "../../store/queries/policies.js";
import { listDeliveries } from "../../store/queries/report-deliveries.js";
import type { SlaReport } from "../sla/report.js";
import { createSmtpMailer } from "./mailer.js";
import { composeReportEmail, ReportScheduler } from "./scheduler.js";

const T = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

interface Received {
  envelopeTo: string[];
  mail: ParsedMail;
}

/** A real SMTP server on loopback that keeps what it accepts, or rejects everything with 550. */
class TestSmtp {
  readonly received: Received[] = [];
  reject = false;
  private readonly server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (this.reject) {
          callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
          return;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            this.received.push({ envelopeTo: session.envelope.rcptTo.map((a) => a.address), mail });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.server.address() as net.AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function fixtureReport(clientId: string, clientName: string, from: number, to: number): SlaReport {
  const summary = {
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), timezone: "Europe/Berlin" },
    sloPct: 99.9,
    availabilityPct: 99.95,
    met: true,
    scheduledSeconds: 1000,
    excludedSeconds: 0,
    unmonitoredSeconds: 0,
    unknownSeconds: 0,
    downSeconds: 1,
    degradedSeconds: 0,
    monitoredSeconds: 1000,
    coveragePct: 100,
    coverageLow: false,
    errorBudgetSeconds: 1,
    errorBudgetBurnPct: 50,
    incidentCount: 2,
    mttrSeconds: 30,
    mtbfSeconds: null,
    mttaSeconds: null,
    costTotal: 1234.5,
  };
  return {
    ...summary,
    kind: "sla",
    generatedAt: new Date(to).toISOString(),
    scope: { level: "client", clientId, clientName, siteId: null, siteName: null, hostId: null, hostname: null },
    hours: "business",
    calendar: "Mon–Fri 08:00–18:00",
    defaults: [],
    summary: `${clientName} met its 99.9% target with 99.95% availability; 2 incidents cost €1,234.50.`,
    incidents: [],
    siteIncidents: [],
    cost: {
      currency: "EUR",
      total: 1234.5,
      revenue: 1000,
      productivity: 234.5,
      recovery: 0,
      penalty: 0,
      intangible: 0,
      formula: "",
      inputs: { model: {}, defaults: [], costPerHour: 0, chargedHours: 0, recoveryIncidents: 0 },
    },
    byHost: [],
    previousPeriod: null,
  };
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ""));
}

describe("ReportScheduler on the embedded store and a real SMTP server", () => {
  let dir: string;
  let store: Store;
  const smtp = new TestSmtp();
  let scheduler: ReportScheduler;
  const logs: string[] = [];
  const renders: Array<{ clientId: string; from: number; to: number }> = [];
  let failRenderFor: string | undefined;
  const names: Record<string, string> = { acme: "Acme GmbH", beta: "Beta Ltd", quiet: "Quiet AG", off: "Off KG", mars: "Mars Base", late: "Late Ltd" };
  const logged = (msg: string) => logs.map((l) => JSON.parse(l) as { msg: string; level: number }).filter((l) => l.msg.includes(msg));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vigil-reports-"));
    store = await openStore({ kind: "embedded", path: dir, database: "vigil" });
    await migrate(store, { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 });
    const since = T("2025-01-01T00:00:00Z");
    // The bad time zone sorts first: the clients after it must still get their reports.
    await saveClient(store, { id: "mars", name: names.mars!, timezone: "Mars/Olympus_Mons", currency: "EUR", created_at: since - 1 });
    await saveClient(store, { id: "acme", name: names.acme!, timezone: "Europe/Berlin", currency: "EUR", created_at: since });
    await saveClient(store, { id: "beta", name: names.beta!, timezone: "America/New_York", currency: "USD", created_at: since + 1 });
    await saveClient(store, { id: "quiet", name: names.quiet!, timezone: "Europe/Berlin", currency: "EUR", created_at: since + 2 });
    await saveClient(store, { id: "off", name: names.off!, timezone: "Europe/Berlin", currency: "EUR", created_at: since + 3 });
    await saveClient(store, { id: "late", name: names.late!, timezone: "Europe/Berlin", currency: "EUR", created_at: T("2026-09-01T06:00:00Z") });
    await saveClientPolicy(store, "mars", { reportRecipients: ["it@mars.example"], reportSchedule: { monthly: true } }, "test");
    await saveClientPolicy(store, "acme", { reportRecipients: ["it@acme.example", " boss@acme.example ", "it@acme.example"], reportSchedule: { monthly: true, quarterly: true } }, "test");
    await saveClientPolicy(store, "beta", { reportRecipients: ["ops@beta.example"], reportSchedule: { monthly: true } }, "test");
    await saveClientPolicy(store, "quiet", { reportRecipients: [], reportSchedule: { monthly: true, quarterly: true } }, "test");
    await saveClientPolicy(store, "off", { reportRecipients: ["it@off.example"], reportSchedule: { monthly: false } }, "test");
    await saveClientPolicy(store, "late", { reportRecipients: ["it@late.example"], reportSchedule: { monthly: true } }, "test");

    const port = await smtp.listen();
    scheduler = new ReportScheduler({
      store,
      mailer: createSmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: "Vigil <reports@msp.example>" }),
      logger: pino({ level: "debug" }, { write: (line: string) => void logs.push(line) }),
      async render(clientId, from, to) {
        renders.push({ clientId, from, to });
        if (clientId === failRenderFor) throw new Error("store unavailable");
        return { report: fixtureReport(clientId, names[clientId] ?? clientId, from, to), pdf: PDF };
      },
    });
  });

  afterAll(async () => {
    scheduler?.stop();
    await smtp.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("emails the last completed month and quarter in each client's time zone, PDF attached", async () => {
    // 10:00 in Berlin and 04:00 in New York on 1 April.
    const outcomes = await scheduler.runDue(T("2026-04-01T08:00:00Z"));
    expect(outcomes.map((o) => `${o.clientId} ${o.period.label} ${o.status}`).sort()).toEqual(["acme March 2026 sent", "acme Q1 2026 sent", "beta March 2026 sent"]);
    expect(smtp.received).toHaveLength(3);

    const march = smtp.received.find((r) => r.mail.subject === "Acme GmbH — IT availability report, March 2026")!;
    expect(march).toBeDefined();
    expect(march.envelopeTo.sort()).toEqual(["boss@acme.example", "it@acme.example"]);
    expect(addresses(march.mail.to).sort()).toEqual(["boss@acme.example", "it@acme.example"]);
    expect(addresses(march.mail.from)).toEqual(["reports@msp.example"]);
    expect(march.mail.attachments).toHaveLength(1);
    const [pdf] = march.mail.attachments;
    expect(pdf!.filename).toBe("vigil-sla-acme-gmbh-2026-03.pdf");
    expect(pdf!.contentType).toBe("application/pdf");
    expect(pdf!.content.subarray(0, 4).toString()).toBe("%PDF");
    expect(pdf!.content.equals(PDF)).toBe(true);
    expect(march.mail.text).toContain("Acme GmbH met its 99.9% target");
    expect(march.mail.text).toContain("Availability: 99.95% (target 99.9%, met)");
    expect(march.mail.text).toContain("Downtime cost: EUR 1,234.50");
    expect(march.mail.html).toContain("<td>99.95% (target 99.9%, met)</td>");

    const q1 = smtp.received.find((r) => r.mail.subject === "Acme GmbH — IT availability report, Q1 2026")!;
    expect(q1.mail.attachments[0]!.filename).toBe("vigil-sla-acme-gmbh-2026-q1.pdf");
    const beta = smtp.received.find((r) => r.mail.subject === "Beta Ltd — IT availability report, March 2026")!;
    expect(beta.envelopeTo).toEqual(["ops@beta.example"]);

    // Periods are the clients' local months.
    expect(renders).toContainEqual({ clientId: "acme", from: T("2026-02-28T23:00:00Z"), to: T("2026-03-31T22:00:00Z") });
    expect(renders).toContainEqual({ clientId: "acme", from: T("2025-12-31T23:00:00Z"), to: T("2026-03-31T22:00:00Z") });
    expect(renders).toContainEqual({ clientId: "beta", from: T("2026-03-01T05:00:00Z"), to: T("2026-04-01T04:00:00Z") });

    const rows = await listDeliveries(store, { clientId: "acme" });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ clientId: "acme", status: "sent", error: "", periodTo: T("2026-03-31T22:00:00Z") });
      expect(row.recipients.sort()).toEqual(["boss@acme.example", "it@acme.example"]);
    }
    expect(rows.map((r) => r.periodFrom).sort()).toEqual([T("2025-12-31T23:00:00Z"), T("2026-02-28T23:00:00Z")]);
    // The bad time zone was logged, not fatal.
    expect(logged("could not be considered").length).toBeGreaterThan(0);
  });

  it("never sends the same period twice", async () => {
    const before = smtp.received.length;
    expect(await scheduler.runDue(T("2026-04-01T08:00:00Z"))).toEqual([]);
    expect(await scheduler.runDue(T("2026-04-01T09:05:00Z"))).toEqual([]);
    expect(await scheduler.runDue(T("2026-04-20T09:05:00Z"))).toEqual([]);
    expect(smtp.received.length).toBe(before);
  });

  it("after downtime sends the last completed period once (not the ones in between)", async () => {
    const before = smtp.received.length;
    // Down from 1 April to 20 June: April's report is lost, May's goes out.
    const outcomes = await scheduler.runDue(T("2026-06-20T10:00:00Z"));
    expect(outcomes.map((o) => `${o.clientId} ${o.period.label} ${o.status}`).sort()).toEqual(["acme May 2026 sent", "beta May 2026 sent"]);
    expect(await scheduler.runDue(T("2026-06-20T11:05:00Z"))).toEqual([]);
    expect(smtp.received.length).toBe(before + 2);
  });

  it("waits an hour after a period ends before sending, for late agent uploads", async () => {
    // 00:30 on 1 July in Berlin: June is over, but not settled.
    expect(await scheduler.runDue(T("2026-06-30T22:30:00Z"))).toEqual([]);
  });

  it("records a rejected email as failed and retries it at the next run", async () => {
    smtp.reject = true;
    const before = smtp.received.length;
    const failed = await scheduler.runDue(T("2026-07-01T08:05:00Z"));
    expect(failed.map((o) => `${o.clientId} ${o.period.label} ${o.status}`).sort()).toEqual(["acme June 2026 failed", "acme Q2 2026 failed", "beta June 2026 failed"]);
    expect(failed[0]!.error).toContain("550");
    const rows = await listDeliveries(store, { clientId: "beta" });
    expect(rows[0]).toMatchObject({ status: "failed", recipients: ["ops@beta.example"], periodFrom: T("2026-06-01T04:00:00Z") });
    expect(rows[0]!.error).toContain("Mailbox unavailable");
    expect(logged("retrying at the next hourly run").length).toBe(3);

    smtp.reject = false;
    const retried = await scheduler.runDue(T("2026-07-01T09:05:00Z"));
    expect(retried.map((o) => `${o.clientId} ${o.period.label} ${o.status}`).sort()).toEqual(["acme June 2026 sent", "acme Q2 2026 sent", "beta June 2026 sent"]);
    expect(smtp.received.length).toBe(before + 3);
    expect(await scheduler.runDue(T("2026-07-01T10:05:00Z"))).toEqual([]);
  });

  it("gives a period up after five failed attempts", async () => {
    smtp.reject = true;
    for (let i = 0; i < 5; i++) {
      const outcomes = await scheduler.runDue(T("2026-08-01T08:05:00Z") + i * H);
      expect(outcomes.map((o) => o.status)).toEqual(["failed", "failed"]);
    }
    expect(logged("giving up on this period").length).toBe(2);
    smtp.reject = false;
    const before = smtp.received.length;
    expect(await scheduler.runDue(T("2026-08-01T14:05:00Z"))).toEqual([]);
    expect(smtp.received.length).toBe(before);
    const july = (await listDeliveries(store, { clientId: "acme" })).filter((r) => r.periodFrom === T("2026-06-30T22:00:00Z"));
    expect(july.map((r) => r.status)).toEqual(["failed", "failed", "failed", "failed", "failed"]);
  });

  it("keeps going for the other clients when one client's report fails", async () => {
    failRenderFor = "acme";
    const before = smtp.received.length;
    const outcomes = await scheduler.runDue(T("2026-09-01T08:05:00Z"));
    failRenderFor = undefined;
    expect(outcomes.map((o) => `${o.clientId} ${o.period.label} ${o.status}`).sort()).toEqual(["acme August 2026 failed", "beta August 2026 sent"]);
    expect(outcomes.find((o) => o.clientId === "acme")!.error).toBe("store unavailable");
    expect(smtp.received.length).toBe(before + 1);
    // "late" was created after August ended: nothing to report for it.
    expect(renders.some((r) => r.clientId === "late")).toBe(false);
  });

  it("sends nothing to clients without recipients or with both schedules off", async () => {
    const everyone = smtp.received.flatMap((r) => r.envelopeTo);
    expect(everyone.some((a) => a.endsWith("@quiet.example") || a.endsWith("@off.example"))).toBe(false);
    expect(renders.some((r) => r.clientId === "quiet" || r.clientId === "off" || r.clientId === "mars")).toBe(false);
    expect(await listDeliveries(store, { clientId: "quiet" })).toEqual([]);
    expect(await listDeliveries(store, { clientId: "off" })).toEqual([]);
  });

  it("schedules an hourly job at minute 5 and removes it on stop", () => {
    const before = cron.getTasks().size;
    scheduler.start();
    scheduler.start();
    const tasks = [...cron.getTasks().values()];
    expect(tasks.length).toBe(before + 1);
    expect(tasks.at(-1)!.getPattern()).toBe("5 * * * *");
    scheduler.stop();
    expect(cron.getTasks().size).toBe(before);
  });
});

describe("ReportScheduler without SMTP", () => {
  it("logs once that scheduled reports are disabled and does nothing", async () => {
    const logs: string[] = [];
    const store = {} as Store; // Never touched: any call would throw.
    const scheduler = new ReportScheduler({
      store,
      mailer: undefined,
      logger: pino({ level: "debug" }, { write: (line: string) => void logs.push(line) }),
      render: () => Promise.reject(new Error("must not render")),
    });
    const before = cron.getTasks().size;
    scheduler.start();
    expect(await scheduler.runDue(T("2026-04-01T08:00:00Z"))).toEqual([]);
    expect(await scheduler.runDue()).toEqual([]);
    scheduler.stop();
    expect(cron.getTasks().size).toBe(before);
    expect(logs.filter((l) => l.includes("scheduled reports are disabled"))).toHaveLength(1);
  });
});

describe("composeReportEmail", () => {
  it("names the file after the client and period, escapes HTML and copes with missing data", () => {
    const report = fixtureReport("c1", "Müller & Söhne <IT>", 0, 1);
    report.availabilityPct = null;
    report.met = null;
    report.summary = "No data <yet>.";
    const mail = composeReportEmail({
      clientId: "c1",
      clientName: "Müller & Söhne <IT>",
      period: { cadence: "quarterly", from: 0, to: 1, label: "Q4 2026", slug: "2026-q4", timezone: "Europe/Berlin" },
      report,
      pdf: PDF,
      recipients: ["a@b.example"],
    });
    expect(mail.attachments[0]!.filename).toBe("vigil-sla-muller-sohne-it-2026-q4.pdf");
    expect(mail.subject).toBe("Müller & Söhne <IT> — IT availability report, Q4 2026");
    expect(mail.html).toContain("Müller &amp; Söhne &lt;IT&gt;");
    expect(mail.html).toContain("No data &lt;yet&gt;.");
    expect(mail.html).not.toContain("<IT>");
    expect(mail.text).toContain("Availability: no monitoring data for the period");
  });
});
