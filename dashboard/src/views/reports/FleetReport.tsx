import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { api, call } from "../../api/client";
import { useSession } from "../../api/session";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBox, Loading } from "../../components/States";
import { browserTimeZone, resolvePeriod, selectionFromQuery, selectionToQuery, type ReportSelection } from "./period";
import { ReportPicker } from "./ReportPicker";
import type { FleetReport as FleetReportData } from "./types";
import { formatAvailability, formatCount, formatHours, formatMoney, formatPeriod, formatSlo } from "./words";

/**
 * The MSP's own view: every client's SLA figures and downtime cost for one period, each linking to that
 * client's report. Clients live in different zones, so the period's days are the browser's.
 */
export function FleetReport() {
  const { can } = useSession();
  const [query, setQuery] = useSearchParams();
  const selection = selectionFromQuery(query);
  const zone = browserTimeZone();
  const period = useMemo(
    () => resolvePeriod(selection, zone),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [zone, selection.period, selection.from, selection.to],
  );
  const request = period ? { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), hours: selection.hours } : null;
  const allowed = can("admin", "technician", "vcio");
  const fleet = useApi(
    // The route also answers CSV; asked for JSON it answers the report.
    async () => (request && allowed ? ((await call(api.GET("/api/v1/reports/fleet", { params: { query: { ...request, format: "json" } } }))) as FleetReportData) : null),
    [request?.from, request?.to, request?.hours, allowed],
  );

  if (!allowed) return <Empty>The fleet report is for admins and vCIOs. Open a client's report from the Client report tab.</Empty>;

  const choose = (next: ReportSelection) => setQuery(selectionToQuery({ ...next, clientId: "" }));
  const clientLink = (clientId: string) => `/reports?${selectionToQuery({ ...selection, clientId }).toString()}`;

  return (
    <>
      <ReportPicker selection={selection} timeZone={zone} onApply={choose} serverErrors={fleet.error?.fieldErrors} />
      {!request ? (
        <Empty>{selection.from || selection.to ? "Correct the dates of the period above." : "Pick the first and last day of the period and press Show report."}</Empty>
      ) : fleet.loading ? (
        <Loading what="Computing the fleet report" />
      ) : fleet.error ? (
        <ErrorBox error={fleet.error} retry={fleet.error.retryable ? fleet.reload : undefined} />
      ) : fleet.data ? (
        <section aria-labelledby="fleet-title" className="report-section">
          <header className="report-head">
            <div>
              <h2 id="fleet-title">All clients · {formatPeriod(fleet.data.period.from, fleet.data.period.to, zone)}</h2>
              <p className="muted small">
                {formatCount(fleet.data.clients.length)} clients, {formatCount(fleet.data.hostCount)} hosts, {formatCount(fleet.data.incidentCount)} incidents;{" "}
                {formatCount(fleet.data.breaches)} below their target. {fleet.data.hours === "all" ? "All hours count (24x7)." : "Business hours count."}
              </p>
            </div>
            <div className="report-actions no-print">
              <a className="button secondary" href={`/api/v1/reports/fleet?${new URLSearchParams({ ...request, format: "csv" }).toString()}`} download>
                Download CSV
              </a>
            </div>
          </header>
          {fleet.data.clients.length === 0 ? (
            <Empty>
              There are no clients yet. Add one in <Link to="/settings">Settings</Link>.
            </Empty>
          ) : (
            <div className="table-wrap">
              <table aria-labelledby="fleet-title">
                <thead>
                  <tr>
                    <th scope="col">Client</th>
                    <th scope="col" className="num">Hosts</th>
                    <th scope="col" className="num">Availability</th>
                    <th scope="col" className="num">Target</th>
                    <th scope="col">Met</th>
                    <th scope="col" className="num">Down</th>
                    <th scope="col" className="num">Incidents</th>
                    <th scope="col" className="num">Downtime cost</th>
                  </tr>
                </thead>
                <tbody>
                  {fleet.data.clients.map((c) => (
                    <tr key={c.clientId}>
                      <th scope="row">
                        <Link to={clientLink(c.clientId)}>{c.clientName}</Link>
                      </th>
                      <td className="num">{formatCount(c.hostCount)}</td>
                      <td className="num">{formatAvailability(c.availabilityPct, c.sloPct)}</td>
                      <td className="num">{formatSlo(c.sloPct)}</td>
                      <td>{c.met === null ? <span className="muted">no evidence</span> : c.met ? "Met" : <strong className="bad-text">Not met</strong>}</td>
                      <td className="num">{formatHours(c.downSeconds)}</td>
                      <td className="num">{formatCount(c.incidentCount)}</td>
                      <td className="num">{formatMoney(c.costTotal, c.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </>
  );
}
