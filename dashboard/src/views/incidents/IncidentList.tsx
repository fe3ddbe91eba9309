import { useCallback, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, call } from "../../api/client";
import { useSession } from "../../api/session";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBox, Loading } from "../../components/States";
import { Field } from "../../components/Field";
import { formatDuration, formatMoney, formatTime } from "../../format";
import { AnnotateDialog } from "./AnnotateDialog";
import { useClients, type ClientSummary } from "./clients";
import { dateInput, PERIODS, periodRange, type PeriodChoice } from "./period";
import { actorWords, causeWords, formatInstant, type Incident } from "./words";

/** Incidents of one client over a period, with cause, duration and cost; annotated by those allowed. */
export function IncidentList() {
  const clients = useClients();
  const [params, setParams] = useSearchParams();
  const chosen = params.get("client") ?? "";
  const client = clients.data?.find((c) => c.id === chosen) ?? clients.data?.[0];

  if (clients.error) return <ErrorBox error={clients.error} retry={clients.reload} />;
  if (!clients.data) return <Loading what="Loading clients" />;
  if (!client)
    return (
      <section>
        <h1>Incidents</h1>
        <Empty>
          <p>
            There are no clients yet, so no incidents. Add a client and enroll its machines in <Link to="/settings/clients">Settings</Link>.
          </p>
        </Empty>
      </section>
    );
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  return <ClientIncidents clients={clients.data} client={client} params={params} set={set} />;
}

function ClientIncidents({ clients, client, params, set }: { clients: ClientSummary[]; client: ClientSummary; params: URLSearchParams; set(changes: Record<string, string | null>): void }) {
  const { can } = useSession();
  const mayAnnotate = can("admin", "technician", "vcio");
  const period = (PERIODS.find(([p]) => p === params.get("period"))?.[0] ?? "30") as PeriodChoice;
  const hostId = params.get("host") ?? "";
  // Custom dates are typed here and put in the address only once they make sense, so the list does not
  // reload on every keystroke.
  const [custom, setCustom] = useState({ from: params.get("from") ?? dateInput(Date.now() - 7 * 86_400_000), to: params.get("to") ?? dateInput(Date.now()) });
  const customCheck = period === "custom" ? periodRange("custom", custom) : null;
  const customErrors = customCheck && "errors" in customCheck ? customCheck.errors : {};

  const query = [client.id, period, params.get("from"), params.get("to"), hostId].join("|");
  const incidents = useApi(async () => {
    // "Last N days" ends now at each read; a custom period reads the dates in the address.
    const r = periodRange(period, { from: params.get("from") ?? "", to: params.get("to") ?? "" });
    if ("errors" in r) return undefined;
    const list = await call(
      api.GET("/api/v1/incidents", {
        params: { query: { clientId: client.id, from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString(), ...(hostId ? { hostId } : {}) } },
      }),
    );
    return { query, ...list };
  }, [query]);
  const [annotating, setAnnotating] = useState<Incident | null>(null);
  const closeAnnotate = useCallback(() => setAnnotating(null), []);

  useEffect(() => {
    if (period !== "custom" || customErrors.from || customErrors.to) return;
    if (params.get("from") !== custom.from || params.get("to") !== custom.to) set({ from: custom.from, to: custom.to });
  });

  // A refresh keeps the rows on screen; another client or period shows "Loading" until its own rows arrive.
  const current = incidents.data?.query === query ? incidents.data : undefined;
  const items = current?.items;
  const hostname = hostId ? items?.find((i) => i.hostId === hostId)?.hostname : undefined;

  return (
    <section className="incidents" aria-labelledby="incidents-title">
      <h1 id="incidents-title">Incidents</h1>
      <form className="row incident-filters" onSubmit={(e) => e.preventDefault()} aria-label="Which incidents">
        {clients.length > 1 && (
          <Field label="Client">
            <select value={client.id} onChange={(e) => set({ client: e.target.value, host: null })}>
              {clients.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Period">
          <select value={period} onChange={(e) => set({ period: e.target.value, ...(e.target.value === "custom" ? {} : { from: null, to: null }) })}>
            {PERIODS.map(([p, label]) => (
              <option key={p} value={p}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        {period === "custom" && (
          <>
            <Field label="From" error={customErrors.from}>
              <input type="date" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
            </Field>
            <Field label="To (inclusive)" error={customErrors.to}>
              <input type="date" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
            </Field>
          </>
        )}
        <div className="field">
          <button type="button" className="secondary" onClick={incidents.reload} disabled={incidents.loading}>
            {incidents.loading ? "Refreshing…" : "Refresh"}
          </button>
        </div>
      </form>
      {hostId && (
        <p className="filter-chip">
          Only host <strong>{hostname ?? hostId}</strong>.{" "}
          <button type="button" className="link" onClick={() => set({ host: null })}>
            Show every host
          </button>
        </p>
      )}
      {incidents.error && <ErrorBox error={incidents.error} retry={incidents.reload} />}
      {items === undefined ? (
        !incidents.error && (period !== "custom" || !(customErrors.from || customErrors.to)) && <Loading what="Loading incidents" />
      ) : items.length === 0 ? (
        <Empty>
          <p>
            No incidents for {client.name} in this period: every monitored host stayed up. Try a longer period, or check that the client's hosts are
            enrolled on the <Link to="/">Fleet</Link> page.
          </p>
        </Empty>
      ) : (
        <>
          {(current?.siteIncidents.length ?? 0) > 0 && (
            <p className="muted">
              {current!.siteIncidents.map((s) => `${s.siteName}: whole site out ${formatTime(s.startedAt)} for ${formatDuration(s.durationSeconds * 1000)}`).join("; ")}
            </p>
          )}
          <div className="table-wrap">
            <table className="incidents-table">
              <caption className="muted">
                {items.length} incident{items.length === 1 ? "" : "s"} for {client.name}, oldest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Host / site</th>
                  <th scope="col">Cause</th>
                  <th scope="col">Started</th>
                  <th scope="col">Detected</th>
                  <th scope="col">Resolved</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col" className="num">
                    Cost
                  </th>
                  <th scope="col">Acknowledged</th>
                  <th scope="col">SLA</th>
                  {mayAnnotate && <th scope="col">Annotate</th>}
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id} data-incident-id={i.id}>
                    <td data-label="Host / site">
                      <div>
                        <Link to={`/hosts/${encodeURIComponent(i.hostId)}`}>{i.hostname}</Link>
                        <div className="muted small">{i.siteName}</div>
                      </div>
                    </td>
                    <td data-label="Cause">
                      <div>
                        {causeWords(i.cause)}
                        {i.note && <div className="small note">Note: {i.note}</div>}
                      </div>
                    </td>
                    <td data-label="Started">{formatInstant(i.startedAt)}</td>
                    <td data-label="Detected">{formatInstant(i.detectedAt)}</td>
                    <td data-label="Resolved">{i.resolvedAt ? formatInstant(i.resolvedAt) : <strong className="ongoing">still down</strong>}</td>
                    <td data-label="Duration" className="num">
                      <div>
                        {formatDuration(i.durationSeconds * 1000)}
                        {!i.resolvedAt ? <div className="muted small">(so far)</div> : i.clipped && <div className="muted small">(within the period)</div>}
                      </div>
                    </td>
                    <td data-label="Cost" className="num">
                      {formatMoney(i.cost, client.currency)}
                    </td>
                    <td data-label="Acknowledged">{i.acknowledgedAt ? `${actorWords(i.acknowledgedBy)}, ${formatTime(i.acknowledgedAt)}` : "—"}</td>
                    <td data-label="SLA">{i.excluded ? <span>Excluded: {i.exclusionReason}</span> : "Counts"}</td>
                    {mayAnnotate && (
                      <td data-label="Annotate">
                        <button type="button" className="secondary" aria-label={`Annotate incident on ${i.hostname} at ${formatInstant(i.startedAt)}`} onClick={() => setAnnotating(i)}>
                          Annotate
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {annotating && <AnnotateDialog incident={annotating} onSaved={incidents.reload} onClose={closeAnnotate} />}
    </section>
  );
}
