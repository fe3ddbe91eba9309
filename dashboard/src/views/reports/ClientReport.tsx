import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, call } from "../../api/client";
import { useSession } from "../../api/session";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBox, Loading } from "../../components/States";
import { resolvePeriod, selectionFromQuery, selectionToQuery, type ReportSelection } from "./period";
import { ReportPicker } from "./ReportPicker";
import { ReportRuns } from "./ReportRuns";
import { SlaReportBody } from "./SlaReportBody";
import type { SlaReport } from "./types";
import { formatPeriod } from "./words";

/** Link to a report download: the same query as the report on screen, in another format. */
function downloadHref(query: { clientId: string; from: string; to: string; hours: string }, format: "pdf" | "csv"): string {
  return `/api/v1/reports/sla?${new URLSearchParams({ ...query, format }).toString()}`;
}

/**
 * A client's SLA and downtime-cost report. Everything that picks the report lives in the URL query, so a link
 * shows the same report to a colleague and a reload keeps it.
 */
export function ClientReport() {
  const { user } = useSession();
  const [query, setQuery] = useSearchParams();
  const selection = selectionFromQuery(query);
  const clients = useApi(() => call(api.GET("/api/v1/clients")), []);
  const [tick, setTick] = useState(0);

  const choose = (next: ReportSelection) => setQuery(selectionToQuery(next));

  // A viewer has one client, and a single client needs no choosing: preselect it.
  const items = clients.data?.items;
  useEffect(() => {
    if (!items || selection.clientId) return;
    const only = items.find((c) => c.id === user.clientId)?.id ?? (items.length === 1 ? items[0]!.id : "");
    if (only) setQuery(selectionToQuery({ ...selection, clientId: only }), { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, selection.clientId]);

  const client = items?.find((c) => c.id === selection.clientId);
  const zone = client?.timezone ?? "UTC";
  // Cut at the moment the report is asked for (and again on "Update to now"), so downloads match the page.
  const period = useMemo(
    () => (client ? resolvePeriod(selection, zone) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client?.id, zone, selection.period, selection.from, selection.to, tick],
  );
  const request = client && period ? { clientId: client.id, from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), hours: selection.hours } : null;
  const report = useApi(
    // The route also answers CSV and PDF; asked for JSON it answers the report.
    async () => (request ? ((await call(api.GET("/api/v1/reports/sla", { params: { query: { ...request, format: "json" } } }))) as SlaReport) : null),
    [request?.clientId, request?.from, request?.to, request?.hours],
  );

  if (clients.error) return <ErrorBox error={clients.error} retry={clients.reload} />;
  if (!items) return <Loading what="Loading clients" />;
  if (items.length === 0) {
    return (
      <Empty>
        There are no clients yet, so there is nothing to report on.{" "}
        {user.role === "viewer" ? (
          "Ask your MSP to set up your account."
        ) : (
          <>
            Add a client and enroll its hosts in <Link to="/settings">Settings</Link>; its report appears here once they send data.
          </>
        )}
      </Empty>
    );
  }

  return (
    <>
      <ReportPicker clients={items} selection={selection} timeZone={zone} onApply={choose} serverErrors={report.error?.fieldErrors} />
      {!client ? (
        <Empty>{selection.clientId ? "That client does not exist or is not yours to see. Choose another client above." : "Choose a client above to see its report."}</Empty>
      ) : !period || !request ? (
        <Empty>{selection.from || selection.to ? "Correct the dates of the period above." : "Pick the first and last day of the period and press Show report."}</Empty>
      ) : report.loading ? (
        <Loading what="Computing the report" />
      ) : report.error ? (
        <ErrorBox error={report.error} retry={report.error.retryable ? report.reload : undefined} />
      ) : report.data ? (
        <>
          <SlaReportBody
            report={report.data}
            sofar={period.sofar}
            actions={
              <div className="report-actions no-print" role="group" aria-label="Report actions">
                <a className="button" href={downloadHref(request, "pdf")} download>
                  Download PDF
                </a>
                <a className="button secondary" href={downloadHref(request, "csv")} download>
                  Download CSV
                </a>
                <button type="button" className="secondary" onClick={() => window.print()}>
                  Print
                </button>
                {period.sofar && (
                  <button type="button" className="secondary" onClick={() => setTick((t) => t + 1)}>
                    Update to now
                  </button>
                )}
              </div>
            }
          />
          <ReportRuns
            params={request}
            timeZone={zone}
            suggestedLabel={`${client.name} · ${formatPeriod(request.from, request.to, zone)}${selection.hours === "business" ? " · business hours" : ""}`}
          />
        </>
      ) : null}
    </>
  );
}
