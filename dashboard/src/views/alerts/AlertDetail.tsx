import { useCallback, useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { api, call } from "../../api/client";
import { useSession } from "../../api/session";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBox, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDuration } from "../../format";
import { useClients } from "../incidents/clients";
import { AlertButtons } from "./AlertButtons";
import { StateCell } from "./AlertList";
import { SilenceDialog } from "./SilenceDialog";
import { Subject } from "./Subject";
import { useAlertActions } from "./useAlertActions";
import { useAutoRefresh } from "./useAutoRefresh";
import { actorWords, alertDurationMs, formatInstant, ruleWords, type AlertDetail as Detail } from "./words";

/** One alert: what, where, its timeline and every delivery attempt to every channel. */
export function AlertDetail() {
  const id = useParams().id ?? "";
  const { can } = useSession();
  const mayAct = can("admin", "technician");
  const alert = useApi(() => call(api.GET("/api/v1/alerts/{id}", { params: { path: { id } } })), [id]);
  const { reload } = alert;
  useAutoRefresh(reload);
  const actions = useAlertActions(reload);
  const [silencing, setSilencing] = useState(false);
  const closeSilence = useCallback(() => setSilencing(false), []);
  const clients = useClients();
  // Channel names are configuration, readable by those who may configure them; others see the type.
  const channels = useApi(() => (mayAct ? call(api.GET("/api/v1/channels")).then((r) => r.items) : Promise.resolve([])), [mayAct]);
  const channelNames = useMemo(() => new Map((channels.data ?? []).map((c) => [c.id, c.name])), [channels.data]);

  if (alert.data === undefined) {
    if (alert.error?.status === 404)
      return (
        <Empty>
          <p>
            There is no alert with this id (it may belong to a client you cannot see). <Link to="/alerts">Back to alerts</Link>
          </p>
        </Empty>
      );
    return alert.error ? <ErrorBox error={alert.error} retry={reload} /> : <Loading what="Loading the alert" />;
  }
  const a = alert.data;
  const clientName = clients.data?.find((c) => c.id === a.clientId)?.name ?? a.clientId;

  return (
    <article className="alert-detail" aria-labelledby="alert-title">
      <p>
        <Link to="/alerts">← Alerts</Link>
      </p>
      <h1 id="alert-title">
        {ruleWords(a.rule)}: {a.subject.name}
      </h1>
      {alert.error && <ErrorBox error={alert.error} retry={reload} />}
      {actions.error && <ErrorBox error={actions.error} retry={actions.clearError} />}
      <div className="card">
        <p>{a.summary}</p>
        <dl className="facts">
          <dt>Severity</dt>
          <dd>
            <StatusBadge status={a.severity} />
          </dd>
          <dt>State</dt>
          <dd>
            <StateCell alert={a} />
          </dd>
          <dt>Subject</dt>
          <dd>
            <Subject alert={a} />
          </dd>
          <dt>Client</dt>
          <dd>{clientName}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(alertDurationMs(a))}</dd>
          {a.suppressedBy && (
            <>
              <dt>Stands under</dt>
              <dd>
                <Link to={`/alerts/${encodeURIComponent(a.suppressedBy)}`}>the site alert</Link>
              </dd>
            </>
          )}
        </dl>
        {mayAct && <AlertButtons alert={a} actions={actions} onSilence={() => setSilencing(true)} />}
      </div>

      <h2>Timeline</h2>
      <Timeline alert={a} />

      <h2>Delivery log</h2>
      {a.deliveries.length === 0 ? (
        <Empty>
          <p>
            No notifications were sent for this alert (yet): no channel took it.
            {mayAct && (
              <>
                {" "}
                Channels are in <Link to="/settings/channels">Settings → Alert channels</Link>, which alerts go where in{" "}
                <Link to="/settings/routes">Alert routes</Link>.
              </>
            )}
          </p>
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="alerts-table deliveries">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Channel</th>
                <th scope="col">Event</th>
                <th scope="col">Attempt</th>
                <th scope="col">Status</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {a.deliveries.flatMap((d) =>
                d.attempts.map((t, i) => (
                  <tr key={`${d.deliveryId}-${i}`}>
                    <td data-label="Time">
                      <time dateTime={t.at}>{formatInstant(t.at)}</time>
                    </td>
                    <td data-label="Channel">
                      {channelNames.get(d.channelId) ?? d.channelId} <small className="muted">({d.channelType})</small>
                    </td>
                    <td data-label="Event">{d.event}</td>
                    <td data-label="Attempt">
                      {i + 1} of {d.attempts.length}
                    </td>
                    <td data-label="Status">
                      <AttemptStatus ok={i === d.attempts.length - 1 ? d.ok : false} status={t.status} />
                    </td>
                    <td data-label="Error">{t.error ?? (i === d.attempts.length - 1 && !d.ok ? d.error : null) ?? "—"}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
      {silencing && <SilenceDialog alert={a} onSilence={(minutes, reason) => actions.silence(a.id, minutes, reason)} onClose={closeSilence} />}
    </article>
  );
}

function AttemptStatus({ ok, status }: { ok: boolean; status: number | undefined }) {
  const label = status === undefined ? (ok ? "delivered" : "failed") : `${ok ? "delivered" : "failed"} (HTTP ${status})`;
  return <span className={ok ? "delivery-ok" : "delivery-failed"}>{label}</span>;
}

/** What happened to the alert, oldest first, from its own times and its notifications. */
function Timeline({ alert: a }: { alert: Detail }) {
  const events: Array<{ at: string; text: string }> = [
    { at: a.startedAt, text: "Condition began" },
    { at: a.firedAt, text: "Alert fired (after the confirmation window)" },
    ...a.deliveries.map((d) => ({ at: d.at, text: `${d.event} notice ${d.ok ? "delivered" : "not delivered"} via ${d.channelType}` })),
  ];
  if (a.acknowledgedAt) events.push({ at: a.acknowledgedAt, text: `Acknowledged by ${actorWords(a.acknowledgedBy)}` });
  if (a.escalationStep > 0) events.push({ at: a.lastNotifiedAt ?? a.firedAt, text: `Escalated to step ${a.escalationStep}` });
  if (a.resolvedAt) events.push({ at: a.resolvedAt, text: `Resolved by ${actorWords(a.resolvedBy)}` });
  events.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  return (
    <ol className="timeline">
      {events.map((e, i) => (
        <li key={i}>
          <time dateTime={e.at}>{formatInstant(e.at)}</time> — {e.text}
        </li>
      ))}
    </ol>
  );
}
