import { useCallback, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, call } from "../../api/client";
import { useSession } from "../../api/session";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBox, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { formatAgo, formatDuration, formatTime } from "../../format";
import { useClients } from "../incidents/clients";
import { AlertButtons } from "./AlertButtons";
import { SilenceDialog } from "./SilenceDialog";
import { Subject } from "./Subject";
import { useAlertActions } from "./useAlertActions";
import { useAutoRefresh } from "./useAutoRefresh";
import { actorWords, alertDurationMs, ruleWords, type Alert, type AlertState } from "./words";

const TABS: Array<[AlertState, string]> = [
  ["firing", "Firing"],
  ["acknowledged", "Acknowledged"],
  ["resolved", "Resolved"],
];

/** Alerts by state (firing, acknowledged, resolved), refreshed every 15 s, with the on-call actions. */
export function AlertList() {
  const { can } = useSession();
  const mayAct = can("admin", "technician");
  const [params, setParams] = useSearchParams();
  const state = (TABS.find(([s]) => s === params.get("state"))?.[0] ?? "firing") as AlertState;
  const clientId = params.get("client") ?? "";
  // The fleet's alert counts link here with ?hostId= to show that host's alerts only.
  const hostId = params.get("hostId") ?? "";
  const clients = useClients();
  const clientNames = useMemo(() => new Map((clients.data ?? []).map((c) => [c.id, c.name])), [clients.data]);

  const query = `${state}|${clientId}|${hostId}`;
  const alerts = useApi(
    async () => ({ query, ...(await call(api.GET("/api/v1/alerts", { params: { query: { state, ...(clientId ? { clientId } : {}), ...(hostId ? { hostId } : {}), limit: 200 } } }))) }),
    [state, clientId, hostId],
  );
  const { reload } = alerts;
  useAutoRefresh(reload);
  const actions = useAlertActions(reload);
  const [silencing, setSilencing] = useState<Alert | null>(null);
  const closeSilence = useCallback(() => setSilencing(null), []);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const tabHref = (s: AlertState) => {
    const next = new URLSearchParams(params);
    next.set("state", s);
    return `?${next.toString()}`;
  };
  // A refresh keeps the rows on screen; another tab or client shows "Loading" until its own rows arrive.
  const items = alerts.data?.query === query ? alerts.data.items : undefined;

  return (
    <section className="alerts" aria-labelledby="alerts-title">
      <div className="alerts-head">
        <h1 id="alerts-title">Alerts</h1>
        {(clients.data?.length ?? 0) > 1 && (
          <label className="inline-field">
            Client{" "}
            <select value={clientId} onChange={(e) => setFilter("client", e.target.value)}>
              <option value="">All clients</option>
              {clients.data!.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {hostId && (
        <p>
          Showing one host's alerts.{" "}
          <button type="button" className="link" onClick={() => setFilter("hostId", "")}>
            Show all hosts
          </button>
        </p>
      )}
      <nav className="tabs" aria-label="Alert state">
        {TABS.map(([s, label]) => (
          <Link key={s} to={tabHref(s)} className={s === state ? "active" : undefined} aria-current={s === state ? "page" : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {actions.error && <ErrorBox error={actions.error} retry={actions.clearError} />}
      {alerts.error && <ErrorBox error={alerts.error} retry={reload} />}
      {items === undefined ? (
        !alerts.error && <Loading what="Loading alerts" />
      ) : items.length === 0 ? (
        <EmptyAlerts state={state} mayConfigure={can("admin", "technician")} />
      ) : (
        <div className="table-wrap">
          <table className="alerts-table">
            <caption className="muted">
              {items.length} {state} alert{items.length === 1 ? "" : "s"}
              {alerts.loading ? " · refreshing…" : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Rule</th>
                <th scope="col">Subject</th>
                <th scope="col">Client</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">State</th>
                {mayAct && state !== "resolved" && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-alert-id={a.id}>
                  <td data-label="Severity">
                    <StatusBadge status={a.severity} />
                  </td>
                  <td data-label="Rule">
                    <div>
                      <Link to={`/alerts/${encodeURIComponent(a.id)}`}>{ruleWords(a.rule)}</Link>
                      <div className="muted small">{a.summary}</div>
                    </div>
                  </td>
                  <td data-label="Subject">
                    <Subject alert={a} />
                  </td>
                  <td data-label="Client">{clientNames.get(a.clientId) ?? a.clientId}</td>
                  <td data-label="Started">
                    <time dateTime={a.startedAt} title={formatTime(a.startedAt)}>
                      {formatAgo(a.startedAt)}
                    </time>
                  </td>
                  <td data-label="Duration">{formatDuration(alertDurationMs(a))}</td>
                  <td data-label="State">
                    <StateCell alert={a} />
                  </td>
                  {mayAct && state !== "resolved" && (
                    <td data-label="Actions">
                      <AlertButtons alert={a} actions={actions} onSilence={setSilencing} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {silencing && <SilenceDialog alert={silencing} onSilence={(minutes, reason) => actions.silence(silencing.id, minutes, reason)} onClose={closeSilence} />}
    </section>
  );
}

/** The state badge with who acknowledged or resolved it, and when. */
export function StateCell({ alert }: { alert: Alert }) {
  return (
    <div className="state-cell">
      <StatusBadge status={alert.state} />
      {alert.acknowledgedAt && (
        <div className="small">
          Acknowledged by <strong>{actorWords(alert.acknowledgedBy)}</strong> <time dateTime={alert.acknowledgedAt}>{formatTime(alert.acknowledgedAt)}</time>
        </div>
      )}
      {alert.resolvedAt && (
        <div className="small">
          Resolved by {actorWords(alert.resolvedBy)} <time dateTime={alert.resolvedAt}>{formatTime(alert.resolvedAt)}</time>
        </div>
      )}
    </div>
  );
}

function EmptyAlerts({ state, mayConfigure }: { state: AlertState; mayConfigure: boolean }) {
  const settings = mayConfigure ? (
    <>
      Rules and channels are in Settings: <Link to="/settings/rules">Alert rules</Link> and <Link to="/settings/channels">Alert channels</Link>.
    </>
  ) : null;
  if (state === "firing")
    return (
      <Empty>
        <p>No alerts firing. {settings}</p>
      </Empty>
    );
  if (state === "acknowledged")
    return (
      <Empty>
        <p>No acknowledged alerts: nothing is being worked on. Firing alerts are under the Firing tab.</p>
      </Empty>
    );
  return (
    <Empty>
      <p>No resolved alerts yet. Alerts appear here once their condition clears or someone resolves them. {settings}</p>
    </Empty>
  );
}
