import { Link } from "react-router";
import type { Alert } from "./words";

/** What an alert is about: a host links to its page; a site is named as one. */
export function Subject({ alert }: { alert: Alert }) {
  if (alert.hostId) return <Link to={`/hosts/${encodeURIComponent(alert.hostId)}`}>{alert.subject.name}</Link>;
  return (
    <span>
      {alert.subject.name} <small className="muted">(site)</small>
    </span>
  );
}
