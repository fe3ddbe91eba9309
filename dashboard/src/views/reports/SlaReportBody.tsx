import type { ReactNode } from "react";
import { CostBreakdown } from "./CostBreakdown";
import type { SlaReport, SlaSummary } from "./types";
import {
  causeWords,
  formatAvailability,
  formatCount,
  formatCoverage,
  formatDateTime,
  formatDuration,
  formatHours,
  formatMoney,
  formatPct,
  formatPeriod,
  formatSlo,
  ninesWords,
} from "./words";

/**
 * One client's SLA and downtime-cost report, in the order of the PDF: headline figures, the service level
 * with what each measure means, the trend, incidents, site outages and the cost with its formula. Every
 * colour is backed by a word (met / not met, better / worse), so it reads the same printed in black and white.
 */
export function SlaReportBody({ report, sofar, actions }: { report: SlaReport; sofar: boolean; actions?: ReactNode }) {
  const zone = report.period.timezone;
  return (
    <article className="sla-report" aria-labelledby="report-title">
      <header className="report-head">
        <div>
          <h2 id="report-title">{report.scope.clientName}</h2>
          <p className="report-period">
            SLA and downtime cost · {formatPeriod(report.period.from, report.period.to, zone)}
            {sofar && <span className="muted"> (period so far)</span>}
          </p>
          <p className="muted small">
            Times in {zone}. {report.hours === "all" ? "All hours of the period count (24x7)." : `Business hours count: ${report.calendar || "the client's business calendar"}.`} Generated{" "}
            {formatDateTime(report.generatedAt, zone)}.
          </p>
        </div>
        {actions}
      </header>

      <p className="report-summary">{report.summary}</p>

      <KeyFigures report={report} />
      <ServiceLevel report={report} />
      <Trend report={report} />
      <Incidents report={report} />
      <SiteOutages report={report} />
      <CostBreakdown report={report} />
    </article>
  );
}

function KeyFigures({ report: r }: { report: SlaReport }) {
  const currency = r.cost.currency;
  return (
    <section aria-label="Key figures" className="figures">
      <div className={`figure ${r.met === false ? "bad" : r.met ? "good" : ""}`}>
        <span className="figure-label">Availability</span>
        <span className="figure-value" data-testid="availability">
          {formatAvailability(r.availabilityPct, r.sloPct)}
        </span>
        <span className="figure-note">
          {r.met === null ? "No evidence to measure" : r.met ? "Target met" : "Target not met"} · target {formatSlo(r.sloPct)}
          {ninesWords(r.sloPct) && ` (${ninesWords(r.sloPct)})`}
        </span>
        {ninesWords(r.availabilityPct) && <span className="figure-note">That is {ninesWords(r.availabilityPct)}.</span>}
      </div>
      <div className={`figure ${r.errorBudgetBurnPct !== null && r.errorBudgetBurnPct > 100 ? "bad" : ""}`}>
        <span className="figure-label">Error budget used</span>
        <span className="figure-value">{formatPct(r.errorBudgetBurnPct)}</span>
        <span className="figure-note">
          {formatHours(r.downSeconds)} down of {formatHours(r.errorBudgetSeconds)} allowed
        </span>
      </div>
      <div className={`figure ${r.cost.total > 0 ? "bad" : ""}`}>
        <span className="figure-label">Downtime cost</span>
        <span className="figure-value" data-testid="cost-total">
          {formatMoney(r.cost.total, currency)}
        </span>
        <span className="figure-note">Estimate; the formula is below</span>
      </div>
      <div className="figure">
        <span className="figure-label">Incidents</span>
        <span className="figure-value">{formatCount(r.incidentCount)}</span>
        <span className="figure-note">A whole-site outage counts once</span>
      </div>
      <div className="figure">
        <span className="figure-label">MTTR</span>
        <span className="figure-value">{formatHours(r.mttrSeconds)}</span>
        <span className="figure-note">Mean time to restore</span>
      </div>
      <div className="figure">
        <span className="figure-label">MTBF</span>
        <span className="figure-value">{formatHours(r.mtbfSeconds)}</span>
        <span className="figure-note">Mean time between failures</span>
      </div>
      {r.coverageLow && r.availabilityPct !== null && (
        <p className="callout" role="note">
          Low coverage: monitoring saw only {formatCoverage(r.coveragePct)} of the hours it should have. The availability of{" "}
          {formatAvailability(r.availabilityPct, r.sloPct)} rests on little evidence.
        </p>
      )}
    </section>
  );
}

function ServiceLevel({ report: r }: { report: SlaReport }) {
  const summed = r.byHost.length > 1 ? `, summed over ${formatCount(r.byHost.length)} hosts` : "";
  const burn = r.errorBudgetBurnPct;
  const rows: [string, ReactNode, string][] = [
    ["Target (SLO)", formatSlo(r.sloPct), `Share of the counted hours IT must be available${r.defaults.includes("sloPct") ? " (assumed default)" : ""}`],
    ["Availability", <strong key="a">{formatAvailability(r.availabilityPct, r.sloPct)}</strong>, "1 − down time / monitored time"],
    ["Target met", <strong key="m">{r.met === null ? "No evidence" : r.met ? "Met" : "Not met"}</strong>, r.met === null ? "No monitored time to measure" : ""],
    ["Hours counted", r.hours === "business" ? "Business hours" : "All hours", r.calendar || (r.hours === "all" ? "24x7" : "")],
    ["Scheduled time", formatHours(r.scheduledSeconds), `The hours the SLA counts${summed}`],
    ["Excluded", formatHours(r.excludedSeconds), "Maintenance windows and outages left out by agreement"],
    ["Unmonitored", formatHours(r.unmonitoredSeconds), "Monitoring not running, or hosts not enrolled yet"],
    ["Unknown", formatHours(r.unknownSeconds), "No evidence either way (agent stopped, samples lost)"],
    ["Monitored", formatHours(r.monitoredSeconds), "Scheduled − excluded − unmonitored − unknown: the time there is evidence for"],
    ["Down", <strong key="d">{formatHours(r.downSeconds)}</strong>, "Counted against the target"],
    ["Degraded", formatHours(r.degradedSeconds), "A service check failing while the host ran; counts as available"],
    ["Coverage", formatCoverage(r.coveragePct), r.coverageLow ? "Low: under 95%, the availability rests on little evidence" : "Monitored share of the hours not excluded"],
    ["Error budget", formatHours(r.errorBudgetSeconds), "Down time the target allows over the monitored time"],
    ["Budget burned", formatPct(burn), burn === null ? "No budget (a 100% target, or no monitored time)" : "Share of the error budget used by down time"],
    ["Incidents", formatCount(r.incidentCount), "Outages counted (a whole-site outage once)"],
    ["MTTR", formatHours(r.mttrSeconds), r.mttrSeconds === null ? "Mean time to restore: no incidents" : "Mean time to restore"],
    ["MTBF", formatHours(r.mtbfSeconds), r.mtbfSeconds === null ? "Mean time between failures: no incidents" : "Mean time between failures"],
    ["MTTA", formatHours(r.mttaSeconds), r.mttaSeconds === null ? "Mean time to acknowledge: none acknowledged" : "Mean time from detection to acknowledgement"],
  ];
  return (
    <section aria-labelledby="sla-title" className="report-section">
      <h2 id="sla-title">Service level</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col" className="num">Value</th>
              <th scope="col">What it means</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, value, meaning]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="num">{value}</td>
                <td className="muted">{meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A change in words and an arrow: "+2 h (worse)". Word first, so it needs no colour. */
function Change({ delta, text, better }: { delta: number; text: string; better: "higher" | "lower" }) {
  if (delta === 0 || !Number.isFinite(delta)) return <span className="muted">no change</span>;
  const good = better === "higher" ? delta > 0 : delta < 0;
  return (
    <span className={good ? "change good" : "change bad"}>
      <span aria-hidden="true">{delta > 0 ? "▲ " : "▼ "}</span>
      {text} ({good ? "better" : "worse"})
    </span>
  );
}

function availabilityDelta(prev: SlaSummary, cur: SlaSummary): number | null {
  if (prev.availabilityPct === null || cur.availabilityPct === null) return null;
  // The change between the figures as shown, so it matches them.
  const shown = (s: SlaSummary) => Number(formatAvailability(s.availabilityPct, cur.sloPct).replace("%", ""));
  return Math.round((shown(cur) - shown(prev)) * 1e6) / 1e6;
}

function Trend({ report: r }: { report: SlaReport }) {
  const prev = r.previousPeriod;
  const currency = r.cost.currency;
  if (!prev) {
    return (
      <section aria-labelledby="trend-title" className="report-section">
        <h2 id="trend-title">Compared with the previous period</h2>
        <p className="muted">There is no previous period to compare with.</p>
      </section>
    );
  }
  const da = availabilityDelta(prev, r);
  const signed = (d: number, magnitude: string) => `${d > 0 ? "+" : d < 0 ? "−" : ""}${magnitude}`;
  return (
    <section aria-labelledby="trend-title" className="report-section">
      <h2 id="trend-title">Compared with the previous period</h2>
      <p className="muted small">Previous period: {formatPeriod(prev.period.from, prev.period.to, prev.period.timezone)}.</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col" className="num">Previous period</th>
              <th scope="col" className="num">This period</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Availability</th>
              <td className="num">{formatAvailability(prev.availabilityPct, prev.sloPct)}</td>
              <td className="num">{formatAvailability(r.availabilityPct, r.sloPct)}</td>
              <td>{da === null ? <span className="muted">n/a</span> : <Change delta={da} text={`${signed(da, String(Math.abs(da)))} pp`} better="higher" />}</td>
            </tr>
            <tr>
              <th scope="row">Down time</th>
              <td className="num">{formatDuration(prev.downSeconds)}</td>
              <td className="num">{formatDuration(r.downSeconds)}</td>
              <td>
                <Change delta={r.downSeconds - prev.downSeconds} text={signed(r.downSeconds - prev.downSeconds, formatDuration(Math.abs(r.downSeconds - prev.downSeconds)))} better="lower" />
              </td>
            </tr>
            <tr>
              <th scope="row">Cost of downtime</th>
              <td className="num">{formatMoney(prev.costTotal, currency)}</td>
              <td className="num">{formatMoney(r.cost.total, currency)}</td>
              <td>
                <Change delta={r.cost.total - prev.costTotal} text={formatMoney(r.cost.total - prev.costTotal, currency, { signed: true })} better="lower" />
              </td>
            </tr>
            <tr>
              <th scope="row">Incidents</th>
              <td className="num">{formatCount(prev.incidentCount)}</td>
              <td className="num">{formatCount(r.incidentCount)}</td>
              <td>
                <Change delta={r.incidentCount - prev.incidentCount} text={signed(r.incidentCount - prev.incidentCount, formatCount(Math.abs(r.incidentCount - prev.incidentCount)))} better="lower" />
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Incidents({ report: r }: { report: SlaReport }) {
  const zone = r.period.timezone;
  const sorted = [...r.incidents].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  return (
    <section aria-labelledby="incidents-title" className="report-section">
      <h2 id="incidents-title">Incidents</h2>
      {sorted.length === 0 ? (
        <p className="muted">No incidents in this period.</p>
      ) : (
        <>
          <p className="muted small">
            Times in {zone}. Business time is the part of an incident inside business hours. Costs in {r.cost.currency}.
            {sorted.some((i) => i.clipped) && " * began before the period or ran past its end; only the part inside counts."}
          </p>
          <div className="table-wrap">
            <table aria-labelledby="incidents-title">
              <thead>
                <tr>
                  <th scope="col">Host</th>
                  <th scope="col">Site</th>
                  <th scope="col">Cause</th>
                  <th scope="col">Started</th>
                  <th scope="col" className="num">Duration</th>
                  <th scope="col" className="num">Business time</th>
                  <th scope="col" className="num">Cost</th>
                  <th scope="col">Excluded from SLA</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((i) => (
                  <tr key={i.id}>
                    <th scope="row">{i.hostname || i.hostId}</th>
                    <td>{i.siteName || i.siteId}</td>
                    <td>
                      {causeWords(i.cause)}
                      {i.siteIncidentId ? " (whole site)" : ""}
                      {i.note && <div className="muted small">{i.note}</div>}
                    </td>
                    <td>
                      {formatDateTime(i.startedAt, zone)}
                      {i.clipped ? " *" : ""}
                    </td>
                    <td className="num">{formatDuration(i.durationSeconds)}</td>
                    <td className="num">{formatDuration(i.businessSeconds)}</td>
                    <td className="num">{formatMoney(i.cost, r.cost.currency)}</td>
                    <td>{i.excluded ? `Yes: ${i.exclusionReason ?? "no reason given"}` : "No"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function SiteOutages({ report: r }: { report: SlaReport }) {
  const zone = r.period.timezone;
  return (
    <section aria-labelledby="site-outages-title" className="report-section">
      <h2 id="site-outages-title">Site outages</h2>
      {r.siteIncidents.length === 0 ? (
        <p className="muted">No whole-site outages in this period.</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="site-outages-title">
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col">Cause</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
                <th scope="col" className="num">Duration</th>
                <th scope="col" className="num">Hosts out</th>
              </tr>
            </thead>
            <tbody>
              {r.siteIncidents.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.siteName || s.siteId}</th>
                  <td>{causeWords(s.cause)}</td>
                  <td>{formatDateTime(s.startedAt, zone)}</td>
                  <td>{formatDateTime(s.endedAt, zone)}</td>
                  <td className="num">{formatDuration(s.durationSeconds)}</td>
                  <td className="num">{formatCount(s.hostIds.length)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
