import type { SlaReport } from "./types";
import { defaultWords, formatAvailability, formatCount, formatHours, formatMoney, modelLabel, modelValue, sortModelFields } from "./words";

/**
 * Where the downtime cost came from: per site and per host, the parts of the total, the formula with this
 * period's numbers, and every input with whether it was configured or assumed, as the PDF states them, so a
 * client's CFO can check the figure.
 */
export function CostBreakdown({ report }: { report: SlaReport }) {
  const c = report.cost;
  const money = (x: number) => formatMoney(x, c.currency);
  const assumed = new Set(c.inputs.defaults.map((d) => d.replace(/^costModel\./, "")));
  for (const d of report.defaults) if (d.startsWith("costModel.")) assumed.add(d.slice("costModel.".length));
  const hosts = [...report.byHost].sort((a, b) => b.cost - a.cost || b.downSeconds - a.downSeconds || a.hostname.localeCompare(b.hostname));
  const sites = bySite(report);

  return (
    <section aria-labelledby="cost-title" className="report-section">
      <h2 id="cost-title">Downtime cost</h2>
      <p>
        Total: <strong className="figure-inline">{money(c.total)}</strong> for {formatCount(Math.round(c.inputs.chargedHours * 10_000) / 10_000)} hours
        charged at {money(c.inputs.costPerHour)} per hour{c.recovery > 0 ? `, plus recovery for ${formatCount(c.inputs.recoveryIncidents)} incidents` : ""}.
      </p>

      <h3>By site</h3>
      {sites.length === 0 ? (
        <p className="muted">No sites with hosts in this period.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Downtime cost by site</caption>
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col" className="num">Hosts</th>
                <th scope="col" className="num">Down</th>
                <th scope="col" className="num">Incidents</th>
                <th scope="col" className="num">Cost</th>
              </tr>
            </thead>
            <tbody>
              {sites.map((s) => (
                <tr key={s.siteId}>
                  <th scope="row">{s.siteName || s.siteId}</th>
                  <td className="num">{formatCount(s.hosts)}</td>
                  <td className="num">{formatHours(s.downSeconds)}</td>
                  <td className="num">{formatCount(s.incidents)}</td>
                  <td className="num">{money(s.cost)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>By host</h3>
      {hosts.length === 0 ? (
        <p className="muted">No hosts were enrolled in this period.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Downtime cost by host</caption>
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Site</th>
                <th scope="col" className="num">Availability</th>
                <th scope="col" className="num">Down</th>
                <th scope="col" className="num">Unknown</th>
                <th scope="col" className="num">Incidents</th>
                <th scope="col" className="num">Cost</th>
              </tr>
            </thead>
            <tbody>
              {hosts.map((h) => (
                <tr key={h.hostId}>
                  <th scope="row">{h.hostname || h.hostId}</th>
                  <td>{h.siteName || h.siteId}</td>
                  <td className="num">{formatAvailability(h.availabilityPct, report.sloPct)}</td>
                  <td className="num">{formatHours(h.downSeconds)}</td>
                  <td className="num">{formatHours(h.unknownSeconds)}</td>
                  <td className="num">{formatCount(h.incidentCount)}</td>
                  <td className="num">{money(h.cost)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>How the cost was calculated</h3>
      <p>
        The estimate charges the hours IT was down at what an hour of the business costs (revenue that depends on IT plus the staff who cannot work),
        weighted by how much of the business each host takes down, and adds recovery, penalties and intangibles.
      </p>
      <div className="table-wrap">
        <table className="cost-parts">
          <caption className="sr-only">Parts of the downtime cost</caption>
          <thead>
            <tr>
              <th scope="col">Part</th>
              <th scope="col" className="num">Amount</th>
              <th scope="col">How</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Revenue lost</th>
              <td className="num">{money(c.revenue)}</td>
              <td>Revenue per hour × IT dependence × hours down</td>
            </tr>
            <tr>
              <th scope="row">Productivity lost</th>
              <td className="num">{money(c.productivity)}</td>
              <td>Employees × loaded hourly cost × productivity lost × hours down</td>
            </tr>
            <tr>
              <th scope="row">Recovery</th>
              <td className="num">{money(c.recovery)}</td>
              <td>{formatCount(c.inputs.recoveryIncidents)} incidents × recovery cost per incident</td>
            </tr>
            <tr>
              <th scope="row">SLA penalties</th>
              <td className="num">{money(c.penalty)}</td>
              <td>Penalty per hour × hours down</td>
            </tr>
            <tr>
              <th scope="row">Intangibles</th>
              <td className="num">{money(c.intangible)}</td>
              <td>A share added for reputation and the like</td>
            </tr>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="num">
                <strong>{money(c.total)}</strong>
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>

      <h4>Formula, with this period's numbers</h4>
      <pre className="formula" aria-label="Cost formula">
        {c.formula}
      </pre>

      <h4>Inputs</h4>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Inputs of the downtime cost</caption>
          <thead>
            <tr>
              <th scope="col">Input</th>
              <th scope="col" className="num">Value</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {sortModelFields(Object.keys(c.inputs.model)).map((k) => (
              <tr key={k}>
                <th scope="row">{modelLabel(k)}</th>
                <td className="num">{modelValue(k, c.inputs.model[k]!, c.currency)}</td>
                <td>{assumed.has(k) ? <span className="assumed">assumed default</span> : "configured"}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Cost per hour</th>
              <td className="num">{money(c.inputs.costPerHour)}/h</td>
              <td>computed</td>
            </tr>
            <tr>
              <th scope="row">Hours charged (weighted)</th>
              <td className="num">{formatCount(Math.round(c.inputs.chargedHours * 10_000) / 10_000)} h</td>
              <td>computed</td>
            </tr>
            <tr>
              <th scope="row">Incidents charged recovery</th>
              <td className="num">{formatCount(c.inputs.recoveryIncidents)}</td>
              <td>computed</td>
            </tr>
          </tbody>
        </table>
      </div>

      <h4>Assumed defaults</h4>
      {report.defaults.length === 0 ? (
        <p>None: every setting was configured for this client.</p>
      ) : (
        <>
          <p>These settings were not configured, so the report assumed a default. Configure them in Settings to make the figures the client's own.</p>
          <ul>
            {report.defaults.map((d) => (
              <li key={d}>{defaultWords(d, report)}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function bySite(report: SlaReport) {
  const sites = new Map<string, { siteId: string; siteName: string; hosts: number; downSeconds: number; incidents: number; cost: number }>();
  for (const h of report.byHost) {
    const s = sites.get(h.siteId) ?? { siteId: h.siteId, siteName: h.siteName, hosts: 0, downSeconds: 0, incidents: 0, cost: 0 };
    s.hosts += 1;
    s.downSeconds += h.downSeconds;
    s.incidents += h.incidentCount;
    s.cost += h.cost;
    sites.set(h.siteId, s);
  }
  return [...sites.values()].sort((a, b) => b.cost - a.cost || a.siteName.localeCompare(b.siteName));
}
