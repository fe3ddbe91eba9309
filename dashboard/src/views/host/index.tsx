import { NavLink, Route, Routes, useParams } from "react-router";
import { api, call } from "../../api/client";
import { useApi } from "../../api/useApi";
import { ErrorBox, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { formatTime } from "../../format";
import { lastSeenText } from "../fleet";
import { useLiveFleet } from "../fleet/useLiveFleet";
import { HostCharts } from "./HostCharts";
import { HostIncidents } from "./HostIncidents";
import { HostInventory } from "./HostInventory";
import "./host.css";

/** One host: who and where it is, its live status, and tabs for charts, inventory and incidents. */
export function HostView() {
  const { id = "" } = useParams();
  const host = useApi(() => call(api.GET("/api/v1/hosts/{id}", { params: { path: { id } } })), [id]);
  const { fleet } = useLiveFleet();

  if (host.error?.status === 404) return <HostNotFound />;
  if (host.error) return <ErrorBox error={host.error} retry={host.reload} />;
  if (!host.data) return <Loading what="Loading the host" />;
  const h = host.data;
  const client = fleet?.clients.find((c) => c.id === h.clientId);
  const site = client?.sites.find((s) => s.id === h.siteId);
  const live = site?.hosts.find((x) => x.id === h.id);
  const base = `/hosts/${encodeURIComponent(h.id)}`;

  return (
    <div className="host">
      <header className="host-head">
        <h1>
          {h.hostname} {live && <StatusBadge status={live.status} />}
        </h1>
        <dl className="host-facts">
          <div>
            <dt>Client / site</dt>
            <dd>{client && site ? `${client.name} / ${site.name}` : "…"}</dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd title={h.lastSeenAt ? formatTime(h.lastSeenAt) : undefined}>{live ? lastSeenText(live) : h.lastSeenAt ? formatTime(h.lastSeenAt) : "never"}</dd>
          </div>
          <div>
            <dt>OS</dt>
            <dd>
              {h.os.platform} {h.os.release} ({h.os.arch})
            </dd>
          </div>
          <div>
            <dt>Agent</dt>
            <dd>{h.agentVersion}</dd>
          </div>
        </dl>
      </header>
      <nav className="tabs" aria-label="Host sections">
        <NavLink to={base} end>
          Charts
        </NavLink>
        <NavLink to={`${base}/inventory`}>Inventory</NavLink>
        <NavLink to={`${base}/incidents`}>Incidents</NavLink>
      </nav>
      <Routes>
        <Route index element={<HostCharts hostId={h.id} />} />
        <Route path="inventory" element={<HostInventory hostId={h.id} />} />
        <Route path="incidents" element={<HostIncidents hostId={h.id} clientId={h.clientId} />} />
        <Route path="*" element={<p>There is no such section. Use the tabs above.</p>} />
      </Routes>
    </div>
  );
}

/** A host that does not exist, or that this user may not see: the same page either way. */
function HostNotFound() {
  return (
    <div className="host-not-found">
      <h1>Host not found</h1>
      <p>There is no host with this address, or you do not have access to it.</p>
      <p>
        <NavLink to="/">Back to the fleet</NavLink>
      </p>
    </div>
  );
}
