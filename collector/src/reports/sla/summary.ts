/**
 * The executive summary: the report's headline in a few plain sentences for a client's CFO — was IT
 * available enough, what did the downtime cost and what caused most of it. A pure function of the
 * report, so a frozen report always says the same thing.
 */
import { causeWords, displayZone, formatAvailability, formatCoverage, formatDate, formatMoney, formatSlo, localYear, plainText } from "./format.js";
import type { ReportIncident, ReportSiteIncident, SlaReport } from "./report.js";

type SummaryInput = Omit<SlaReport, "summary">;

/** One outage as the client felt it: a site incident once, or a host incident outside one. */
interface Outage {
  id: string;
  startedAt: string;
  cost: number;
  words: string;
}

/** The report's headline in plain words: availability against the target, the cost, and its main cause. */
export function executiveSummary(report: SummaryInput): string {
  const zone = displayZone(report.period.timezone);
  const sentences = [availabilitySentence(report)];
  if (report.availabilityPct !== null && report.coverageLow) {
    const what = report.hours === "business" ? "business hours" : "time";
    sentences.push(`That figure rests on little evidence: monitoring covered only ${formatCoverage(report.coveragePct)} of the ${what} it should have.`);
  }
  sentences.push(outageSentence(report, zone));
  const excluded = report.incidents.filter((i) => i.excluded);
  if (excluded.length === 1) {
    const reason = plainText(excluded[0]!.exclusionReason ?? "");
    sentences.push(`1 outage was left out of the SLA${reason ? ` (${reason})` : ""}.`);
  } else if (excluded.length > 1) {
    sentences.push(`${excluded.length} outages were left out of the SLA, with the reasons given in the report.`);
  }
  const assumed = assumptions(report);
  if (assumed) sentences.push(`Some figures rest on assumed defaults for ${assumed}; the report lists them.`);
  return sentences.join(" ");
}

function subject(report: SummaryInput): string {
  const s = report.scope;
  if (s.level === "host") return plainText(s.hostname ?? "") || plainText(s.hostId ?? "") || "The host";
  if (s.level === "site") return `IT at ${plainText(s.siteName ?? "") || "the site"}`;
  return "IT";
}

function availabilitySentence(report: SummaryInput): string {
  const slo = formatSlo(report.sloPct);
  const business = report.hours === "business";
  if (report.availabilityPct === null) {
    if (report.scheduledSeconds <= 0) {
      return business ? `There were no business hours in this period, so there is no availability figure (target ${slo}).` : `The period is empty, so there is no availability figure (target ${slo}).`;
    }
    if (report.scheduledSeconds - report.excludedSeconds <= 0) {
      return `All of the ${business ? "business hours" : "period"} was excluded (maintenance or agreed exclusions), so there is no availability figure (target ${slo}).`;
    }
    return `Monitoring has no evidence for ${subject(report).replace(/^The host$/, "the host")} during ${business ? "business hours in this period" : "this period"}, so availability cannot be stated (target ${slo}).`;
  }
  const verdict = report.met === null ? "" : report.met ? ": met" : ": not met";
  return `${subject(report)} was available ${formatAvailability(report.availabilityPct, report.sloPct)} of ${business ? "business hours" : "the time"} (target ${slo}${verdict}).`;
}

function outageSentence(report: SummaryInput, zone: string): string {
  const n = report.incidentCount;
  const currency = report.cost.currency;
  const total = report.cost.total;
  const counted = n === 0 ? `There were no outages${report.hours === "business" ? " during business hours" : ""}` : n === 1 ? "There was 1 outage" : `There were ${n} outages`;
  if (total <= 0) return n === 0 ? `${counted}.` : `${counted}, at no estimated cost under the cost model.`;
  const all = outages(report, zone);
  const top = all[0];
  const amount = money(total, currency);
  if (!top || top.cost <= 0) return `${counted}. Downtime cost an estimated ${amount}.`;
  const head = n === 0 ? `${counted}. Downtime cost an estimated ${amount}` : `${counted}, costing an estimated ${amount}`;
  if (all.length === 1) return `${head}: ${top.words}.`;
  if (top.cost > total / 2) return `${head}, most of it from ${top.words}.`;
  return `${head}; the largest part (${money(top.cost, currency)}) came from ${top.words}.`;
}

/** Whole units from 100 up: "an estimated EUR 4,210" reads better to a CFO than the cents. */
function money(amount: number, currency: string): string {
  return formatMoney(amount, currency, { whole: Math.abs(amount) >= 100 });
}

/** The outages that count, costliest first (then earliest, then by id, so ties always break the same way). */
function outages(report: SummaryInput, zone: string): Outage[] {
  const siteIncidents = new Map(report.siteIncidents.map((s) => [s.id, s]));
  const members = new Map<string, ReportIncident[]>();
  const result: Outage[] = [];
  const year = localYear(report.period.from, zone);
  const on = (iso: string) => `on ${formatDate(iso, zone, localYear(iso, zone) !== year)}`;
  for (const i of report.incidents) {
    if (i.excluded) continue;
    const site = i.siteIncidentId === null ? undefined : siteIncidents.get(i.siteIncidentId);
    if (site) members.set(site.id, [...(members.get(site.id) ?? []), i]);
    else result.push({ id: i.id, startedAt: i.startedAt, cost: i.cost, words: `${hostOutageWords(i, report.scope.level !== "host")} ${on(i.startedAt)}` });
  }
  for (const [id, group] of members) {
    const site = siteIncidents.get(id)!;
    result.push({ id, startedAt: site.startedAt, cost: group.reduce((sum, i) => sum + i.cost, 0), words: `${siteOutageWords(site)} ${on(site.startedAt)}` });
  }
  return result.sort((a, b) => b.cost - a.cost || compare(a.startedAt, b.startedAt) || compare(a.id, b.id));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hostOutageWords(i: ReportIncident, withSite: boolean): string {
  const site = plainText(i.siteName);
  const host = (plainText(i.hostname) || plainText(i.hostId) || "a host") + (withSite && site ? ` (${site})` : "");
  switch (i.cause) {
    case "reboot":
      return `the reboot of ${host}`;
    case "crash":
      return `the crash of ${host}`;
    case "power_or_network":
      return `the power or network outage at ${host}`;
    case "site_network":
      return `the site network outage that cut off ${host}`;
    case "check_failed":
      return `the failed check on ${host}`;
    case "agent_silent":
      return `the outage of ${host}, whose agent went silent`;
    default:
      return `the ${causeWords(i.cause)} at ${host}`;
  }
}

function siteOutageWords(s: ReportSiteIncident): string {
  const site = plainText(s.siteName) || "a site";
  switch (s.cause) {
    case "power_or_network":
      return `the power or network outage at ${site}`;
    case "site_network":
      return `the network outage at ${site}`;
    default:
      return `the ${causeWords(s.cause)} at ${site}`;
  }
}

/** Which settings took a default, in words, or null when none did. */
function assumptions(report: SummaryInput): string | null {
  const words: string[] = [];
  if (report.defaults.includes("sloPct")) words.push("the SLA target");
  if (report.defaults.includes("businessCalendar")) words.push("the business hours");
  if (report.cost.total > 0 && report.defaults.some((d) => d.startsWith("costModel."))) words.push("the cost model");
  if (words.length === 0) return null;
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
