/**
 * Scheduled SLA report emails. Every hour the scheduler looks, per client, at the last completed month
 * and quarter in the client's time zone and emails the report when the delivery log has no successful
 * send for it yet. Deciding from the log rather than from the clock is what gives catch-up after
 * downtime, no double sends after a restart, and retries after a failure, all with no state in memory.
 */
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import type { Store } from "../../store/clickhouse.js";
import { listClients, type ClientRow } from "../../store/queries/clients.js";
import { listClientPolicies } from "../../store/queries/policies.js";
import { deliveryAttempts, recordDelivery } from "../../store/queries/report-deliveries.js";
import { formatAvailability, formatCount, formatMoney, formatSlo, plainText } from "../sla/format.js";
import type { SlaReport } from "../sla/report.js";
import type { MailMessage, Mailer } from "./mailer.js";
import { lastCompletedPeriod, type Cadence, type ReportPeriod } from "./periods.js";

/** What the scheduler needs; `render` builds the client-level report and its PDF for [from, to). */
export interface ReportSchedulerDeps {
  store: Store;
  render(clientId: string, from: number, to: number): Promise<{ report: SlaReport; pdf: Buffer }>;
  /** Undefined when no SMTP relay is configured: scheduled reports are then off. */
  mailer: Mailer | undefined;
  logger: Logger;
  now?: () => number;
  /** How long after a period ends its report waits, so agents that were offline can upload what they buffered. Default 1 hour. */
  settleMs?: number;
  /** Failed attempts after which a period is given up on. Default 5. */
  maxFailures?: number;
}

/** One attempt made by a run. */
export interface DeliveryOutcome {
  clientId: string;
  cadence: Cadence;
  period: ReportPeriod;
  recipients: string[];
  status: "sent" | "failed";
  error?: string;
}

const CADENCES: readonly Cadence[] = ["monthly", "quarterly"];
// Minute 5: clear of the top of the hour, when other jobs and backups tend to start.
const HOURLY = "5 * * * *";

/** Emails each client's monthly and quarterly SLA report once per period, retrying failures hourly. */
export class ReportScheduler {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly settleMs: number;
  private readonly maxFailures: number;
  private task: ScheduledTask | undefined;
  private running = false;
  private disabledLogged = false;

  constructor(private readonly deps: ReportSchedulerDeps) {
    this.log = deps.logger.child({ component: "report-scheduler" });
    this.now = deps.now ?? Date.now;
    this.settleMs = deps.settleMs ?? 3_600_000;
    this.maxFailures = deps.maxFailures ?? 5;
  }

  /** Starts the hourly job (a no-op, logged once, without a mailer). */
  start(): void {
    if (!this.deps.mailer) {
      this.logDisabled();
      return;
    }
    if (this.task) return;
    const log = this.log;
    this.task = cron.schedule(
      HOURLY,
      async () => {
        try {
          await this.runDue();
        } catch (err) {
          log.error({ err }, "scheduled report run failed; the next hourly run tries again");
        }
      },
      {
        name: "vigil-scheduled-reports",
        timezone: "UTC",
        noOverlap: true,
        logger: {
          info: (m) => log.info(m),
          warn: (m) => log.warn(m),
          error: (m, err) => log.error({ err: err ?? (m instanceof Error ? m : undefined) }, m instanceof Error ? m.message : m),
          debug: (m, err) => log.debug({ err: err ?? (m instanceof Error ? m : undefined) }, m instanceof Error ? m.message : m),
        },
      },
    );
    this.log.info({ schedule: HOURLY }, "scheduled reports on");
  }

  /** Stops the hourly job; a run in progress finishes. */
  stop(): void {
    if (!this.task) return;
    void this.task.destroy();
    this.task = undefined;
  }

  /** Sends every report that is due and not yet sent; returns the attempts it made. */
  async runDue(now: number = this.now()): Promise<DeliveryOutcome[]> {
    if (!this.deps.mailer) {
      this.logDisabled();
      return [];
    }
    // A run sends mail before it records it; two runs at once could both see "not sent" and both send.
    if (this.running) {
      this.log.warn("a scheduled report run is still in progress; this one is skipped");
      return [];
    }
    this.running = true;
    try {
      return await this.runAll(this.deps.mailer, now);
    } finally {
      this.running = false;
    }
  }

  private async runAll(mailer: Mailer, now: number): Promise<DeliveryOutcome[]> {
    const [clients, policies] = await Promise.all([listClients(this.deps.store), listClientPolicies(this.deps.store)]);
    const outcomes: DeliveryOutcome[] = [];
    for (const client of clients) {
      const policy = policies.get(client.id);
      const recipients = normaliseRecipients(policy?.reportRecipients);
      if (recipients.length === 0) continue;
      for (const cadence of CADENCES) {
        if (policy?.reportSchedule?.[cadence] !== true) continue;
        try {
          const outcome = await this.deliverIfDue(mailer, client, cadence, recipients, now);
          if (outcome) outcomes.push(outcome);
        } catch (err) {
          // One client's bad time zone or a store hiccup must not keep the other clients' reports back.
          this.log.error({ err, clientId: client.id, cadence }, "scheduled report could not be considered; the next hourly run tries again");
        }
      }
    }
    return outcomes;
  }

  private async deliverIfDue(mailer: Mailer, client: ClientRow, cadence: Cadence, recipients: string[], now: number): Promise<DeliveryOutcome | undefined> {
    const period = lastCompletedPeriod(cadence, now - this.settleMs, client.timezone);
    // A client added after the period has nothing to report for it.
    if (Number(client.created_at) >= period.to) return undefined;
    const key = { clientId: client.id, cadence, periodFrom: period.from };
    const attempts = await deliveryAttempts(this.deps.store, key);
    if (attempts.sent > 0) return undefined;
    const ctx = { clientId: client.id, cadence, period: period.label };
    if (attempts.failed >= this.maxFailures) {
      this.log.debug(ctx, "scheduled report given up after repeated failures");
      return undefined;
    }

    let error: unknown;
    try {
      const { report, pdf } = await this.deps.render(client.id, period.from, period.to);
      await mailer.send(composeReportEmail({ clientId: client.id, clientName: client.name, period, report, pdf, recipients }));
    } catch (err) {
      error = err;
    }
    const status = error === undefined ? "sent" : "failed";
    const message = error === undefined ? "" : (error instanceof Error ? error.message : String(error)) || "unknown error";
    try {
      await recordDelivery(this.deps.store, { at: this.now(), ...key, periodTo: period.to, recipients, status, error: message });
    } catch (err) {
      if (status === "sent") {
        this.log.error({ err, ...ctx }, "scheduled report was emailed but not recorded; the next hourly run may send it again");
      }
      throw err;
    }

    if (status === "sent") {
      this.log.info({ ...ctx, recipients: recipients.length }, "scheduled report emailed");
    } else {
      const failures = attempts.failed + 1;
      const retryable = (error as { retryable?: unknown } | null)?.retryable !== false;
      const last = failures >= this.maxFailures;
      this.log[last ? "error" : "warn"](
        { err: error, ...ctx, failures, retryable },
        last ? `scheduled report failed ${failures} times; giving up on this period` : "scheduled report failed; retrying at the next hourly run",
      );
    }
    return { clientId: client.id, cadence, period, recipients, status, ...(message ? { error: message } : {}) };
  }

  private logDisabled(): void {
    if (this.disabledLogged) return;
    this.disabledLogged = true;
    this.log.info("scheduled reports are disabled: set VIGIL_SMTP_URL and VIGIL_SMTP_FROM to email them");
  }
}

/** The email for one client's report: summary in the body, the PDF attached. */
export function composeReportEmail(input: {
  clientId: string;
  clientName: string;
  period: ReportPeriod;
  report: SlaReport;
  pdf: Buffer;
  recipients: string[];
}): MailMessage {
  const { period, report } = input;
  const clientName = plainText(input.clientName);
  const filename = `vigil-sla-${slugify(clientName) || slugify(input.clientId) || "client"}-${period.slug}.pdf`;
  const facts: [string, string][] = [
    ["Period", `${period.label} (${period.timezone})`],
    ["Availability", availabilityText(report)],
    ["Incidents", formatCount(report.incidentCount)],
    ["Downtime cost", formatMoney(report.cost.total, report.cost.currency)],
  ];
  const title = `${clientName} — IT availability report, ${period.label}`;
  const text = [
    title,
    "",
    report.summary,
    "",
    ...facts.map(([k, v]) => `${k}: ${v}`),
    "",
    `The full report is attached (${filename}).`,
    "",
  ].join("\n");
  const html = [
    "<!doctype html>",
    '<html><body style="font-family: sans-serif; color: #222;">',
    `<h2 style="font-size: 18px;">${escapeHtml(title)}</h2>`,
    `<p>${escapeHtml(report.summary).replace(/\n/g, "<br>")}</p>`,
    '<table cellpadding="4" style="border-collapse: collapse;">',
    ...facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    "</table>",
    `<p>The full report is attached (${escapeHtml(filename)}).</p>`,
    "</body></html>",
  ].join("\n");
  return {
    to: input.recipients,
    subject: title,
    text,
    html,
    attachments: [{ filename, content: input.pdf, contentType: "application/pdf" }],
  };
}

function availabilityText(report: SlaReport): string {
  if (report.availabilityPct === null) return "no monitoring data for the period";
  const verdict = report.met === null ? "" : report.met ? ", met" : ", missed";
  return `${formatAvailability(report.availabilityPct, report.sloPct)} (target ${formatSlo(report.sloPct)}${verdict})`;
}

function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function normaliseRecipients(list: readonly string[] | undefined): string[] {
  const out = new Set<string>();
  for (const r of list ?? []) {
    const address = typeof r === "string" ? r.trim() : "";
    if (address !== "") out.add(address);
  }
  return [...out];
}
