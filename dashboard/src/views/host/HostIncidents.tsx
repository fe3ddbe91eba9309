import { Link } from "react-router";
import { api, call } from "../../api/client";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBox, Loading } from "../../components/States";
import { formatDuration, formatTime } from "../../format";

const DAYS = 90;

/** The host's incidents of the last 90 days, newest first, with a link to the incidents page. */
export function HostIncidents({ hostId, clientId }: { hostId: string; clientId: string }) {
  const incidents = useApi(() => {
    const to = new Date();
    const from = new Date(to.getTime() - DAYS * 86_400_000);
    return call(api.GET("/api/v1/incidents", { params: { query: { clientId, hostId, from: from.toISOString(), to: to.toISOString() } } }));
  }, [hostId, clientId]);
  if (incidents.error) return <ErrorBox error={incidents.error} retry={incidents.reload} />;
  if (!incidents.data) return <Loading what="Loading incidents" />;
  const items = [...incidents.data.items].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return (
    <div className="host-incidents">
      <p>
        Incidents of the last {DAYS} days. To annotate them or see other hosts', open <Link to="/incidents">Incidents</Link>.
      </p>
      {items.length === 0 ? (
        <Empty>No incidents in the last {DAYS} days.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Cause</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>{formatTime(i.startedAt)}</td>
                  <td>
                    {i.cause.replace(/_/g, " ")}
                    {i.excluded ? <span className="muted"> (excluded{i.exclusionReason ? `: ${i.exclusionReason}` : ""})</span> : null}
                  </td>
                  <td className="num">{i.resolvedAt ? formatDuration(i.durationSeconds * 1000) : `${formatDuration(i.durationSeconds * 1000)}, ongoing`}</td>
                  <td>{i.note ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
