import type { AlertActions } from "./useAlertActions";
import type { Alert } from "./words";

/** Acknowledge, Resolve and Silence for one alert; the caller shows them only to roles that may use them. */
export function AlertButtons({ alert, actions, onSilence }: { alert: Alert; actions: AlertActions; onSilence(alert: Alert): void }) {
  if (alert.state === "resolved") return null;
  const busy = actions.busy !== null && actions.busy.endsWith(`:${alert.id}`);
  const name = alert.subject.name;
  return (
    <div className="alert-buttons">
      {alert.state === "firing" && (
        <button type="button" disabled={busy} aria-label={`Acknowledge alert on ${name}`} onClick={() => void actions.acknowledge(alert.id)}>
          {actions.busy === `ack:${alert.id}` ? "Acknowledging…" : "Acknowledge"}
        </button>
      )}
      <button type="button" className="secondary" disabled={busy} aria-label={`Resolve alert on ${name}`} onClick={() => void actions.resolve(alert.id)}>
        {actions.busy === `resolve:${alert.id}` ? "Resolving…" : "Resolve"}
      </button>
      <button type="button" className="secondary" disabled={busy} aria-label={`Silence alert on ${name}`} onClick={() => onSilence(alert)}>
        Silence
      </button>
    </div>
  );
}
