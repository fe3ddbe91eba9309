import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";
import { useSession } from "../../api/session";
import { Empty, ErrorBox, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { formatAgo, formatTime } from "../../format";
import "./fleet.css";
import { useLiveFleet, type Liveness } from "./useLiveFleet";
import type { Fleet, FleetClient, FleetCounts, FleetHost, FleetSite } from "./types";

/** The fleet: every client's sites and hosts with their status, kept current without reloading the page. */
export function FleetView() {
  const { fleet, error, liveness, reload } = useLiveFleet();
  const [filter, setFilter] = useState("");
  const now = useNow(30_000);

  if (!fleet) return error ? <ErrorBox error={error} retry={reload} /> : <Loading what="Loading the fleet" />;
  const shown = filterFleet(fleet, filter);
  return (
    <div className="fleet">
      <div className="fleet-head">
        <h1>Fleet</h1>
        <LiveIndicator liveness={liveness} />
      </div>
      {error && <ErrorBox error={error} retry={reload} />}
      <Summary counts={fleet.counts} />
      {fleet.clients.length === 0 ? (
        <NoClients />
      ) : (
        <>
          <div className="fleet-filter">
            <label htmlFor="fleet-filter">Filter</label>
            <input
              id="fleet-filter"
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              placeholder="host, site, client, status or OS"
              aria-describedby="fleet-filter-hint"
            />
            <small id="fleet-filter-hint" className="hint">
              {filter ? `${shown.hosts} of ${fleet.counts.hosts} hosts match` : "Type to narrow the list"}
            </small>
          </div>
          {shown.clients.length === 0 ? (
            <Empty>
              No host matches “{filter}”.{" "}
              <button type="button" className="link" onClick={() => setFilter("")}>
                Clear the filter
              </button>
            </Empty>
          ) : (
            shown.clients.map((c) => <ClientSection key={c.id} client={c} now={now} filtered={filter !== ""} />)
          )}
        </>
      )}
    </div>
  );
}

/** Re-renders every `everyMs`, so "3 min ago" stays true. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(t);
  }, [everyMs]);
  return now;
}

function LiveIndicator({ liveness }: { liveness: Liveness }) {
  const text = { connecting: "Connecting…", live: "Live", polling: "Live updates interrupted: refreshing every 15 s" }[liveness];
  return (
    <span className={`live live-${liveness}`} role="status">
      {text}
    </span>
  );
}

function Summary({ counts }: { counts: FleetCounts }) {
  const items: Array<[string, number, string]> = [
    ["Hosts", counts.hosts, ""],
    ["Up", counts.up, "up"],
    ["Down", counts.down, "down"],
    ["Stopped", counts.stopped, "stopped"],
    ["Maintenance", counts.maintenance, "maintenance"],
    ["Never connected", counts.never, "never"],
    ["Firing alerts", counts.firingAlerts, counts.firingAlerts > 0 ? "down" : ""],
  ];
  return (
    <dl className="fleet-summary" aria-label="Fleet summary">
      {items.map(([label, n, tone]) => (
        <div key={label} className={`tile ${tone ? `tile-${tone}` : ""}`}>
          <dt>{label}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}

function NoClients() {
  const { can } = useSession();
  return (
    <Empty>
      {can("admin", "technician") ? (
        <>
          <p>Nothing is monitored yet.</p>
          <p>
            Create a client, a site and an enrollment token in <Link to="/settings">Settings</Link>, then run the install command it shows on each
            machine. Hosts appear here within seconds.
          </p>
        </>
      ) : (
        <p>Nothing is monitored for you yet. Ask your MSP to install the agent on your machines.</p>
      )}
    </Empty>
  );
}

function countsLine(c: FleetCounts): string {
  const parts = [`${c.hosts} host${c.hosts === 1 ? "" : "s"}`];
  for (const k of ["up", "down", "stopped", "maintenance", "never"] as const) if (c[k] > 0) parts.push(`${c[k]} ${k}`);
  if (c.firingAlerts > 0) parts.push(`${c.firingAlerts} alert${c.firingAlerts === 1 ? "" : "s"} firing`);
  return parts.join(" · ");
}

function ClientSection({ client, now, filtered }: { client: FleetClient; now: number; filtered: boolean }) {
  const headingId = `client-${client.id}`;
  return (
    <section className="card fleet-client" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {client.name} <StatusBadge status={client.status} />
      </h2>
      <p className="muted counts">{countsLine(client.counts)}</p>
      {client.sites.length === 0 ? (
        <Empty>
          No sites yet. Add a site and an enrollment token for {client.name} in <Link to="/settings">Settings</Link>.
        </Empty>
      ) : (
        client.sites.map((s) => <SiteBlock key={s.id} site={s} now={now} filtered={filtered} />)
      )}
    </section>
  );
}

function SiteBlock({ site, now, filtered }: { site: FleetSite; now: number; filtered: boolean }) {
  return (
    <div className="fleet-site">
      <h3>
        {site.name} <StatusBadge status={site.status} /> <small className="muted">{countsLine(site.counts)}</small>
      </h3>
      {site.hosts.length === 0 ? (
        <p className="muted">
          {filtered ? "No host here matches the filter." : <>No hosts yet: create an enrollment token for this site in <Link to="/settings">Settings</Link> and install the agent.</>}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="fleet-hosts">
            <caption className="visually-hidden">Hosts at {site.name}</caption>
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Status</th>
                <th scope="col">Last seen</th>
                <th scope="col" className="os">
                  OS
                </th>
                <th scope="col" className="num">
                  Alerts
                </th>
              </tr>
            </thead>
            <tbody>
              {site.hosts.map((h) => (
                <HostRow key={h.id} host={h} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** "connected now" for a live host, otherwise how long ago it was last heard from. */
export function lastSeenText(host: Pick<FleetHost, "connected" | "lastSeenAt" | "status">, now = Date.now()): string {
  if (host.connected) return "connected now";
  if (!host.lastSeenAt) return "never";
  return `last seen ${formatAgo(host.lastSeenAt, now)}`;
}

function HostRow({ host, now }: { host: FleetHost; now: number }) {
  return (
    <tr data-host-id={host.id}>
      <th scope="row">
        <Link to={`/hosts/${host.id}`}>{host.hostname}</Link>
      </th>
      <td>
        <StatusBadge status={host.status} />
      </td>
      <td title={host.lastSeenAt ? formatTime(host.lastSeenAt) : undefined} data-now={now}>
        {lastSeenText(host)}
      </td>
      <td className="os">
        {host.os.platform} {host.os.release} <span className="muted">{host.os.arch}</span>
      </td>
      <td className="num">
        {host.firingAlerts > 0 ? (
          <Link to={`/alerts?hostId=${encodeURIComponent(host.id)}`} className="alert-count">
            {host.firingAlerts} firing
          </Link>
        ) : host.acknowledgedAlerts > 0 ? (
          `${host.acknowledgedAlerts} acknowledged`
        ) : (
          <span className="muted">none</span>
        )}
      </td>
    </tr>
  );
}

/** The fleet narrowed to hosts matching the filter text (all words, any field); empty sites and clients dropped. */
function filterFleet(fleet: Fleet, text: string): { clients: FleetClient[]; hosts: number } {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { clients: fleet.clients, hosts: fleet.counts.hosts };
  let hosts = 0;
  const clients = fleet.clients
    .map((c) => {
      const sites = c.sites
        .map((s) => {
          const matching = s.hosts.filter((h) => {
            const hay = `${h.hostname} ${h.status} ${h.os.platform} ${h.os.release} ${s.name} ${c.name}`.toLowerCase();
            return words.every((w) => hay.includes(w));
          });
          hosts += matching.length;
          return { ...s, hosts: matching };
        })
        .filter((s) => s.hosts.length > 0);
      return { ...c, sites };
    })
    .filter((c) => c.sites.length > 0);
  return { clients, hosts };
}
