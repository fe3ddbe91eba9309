import { useState } from "react";
import { api, call } from "../../api/client";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBox, Loading } from "../../components/States";
import { formatBytes, formatTime } from "../../format";

// The parts of the inventory document this tab shows (see the protocol README for the whole document).
interface Inventory {
  system?: { manufacturer?: string; model?: string; serial?: string; virtual?: boolean; fqdn?: string };
  os?: { platform?: string; distro?: string; release?: string; codename?: string; kernel?: string; arch?: string; build?: string };
  cpu?: { brand?: string; cores?: number; physicalCores?: number; sockets?: number; speedGHz?: number };
  memory?: { totalBytes?: number };
  disks?: Array<{ device: string; model: string; sizeBytes: number; type: string; smart: string }>;
  filesystems?: Array<{ mount: string; device: string; fstype: string; sizeBytes: number }>;
  software?: Array<{ name: string; version: string; publisher: string; source: string }>;
}

/** The host's newest inventory: OS, hardware, disks and installed software (with a filter). */
export function HostInventory({ hostId }: { hostId: string }) {
  const inv = useApi(() => call(api.GET("/api/v1/hosts/{id}/inventory", { params: { path: { id: hostId } } })), [hostId]);
  if (inv.error?.status === 404 && /inventory/i.test(inv.error.message)) {
    return <Empty>No inventory from this host yet. The agent sends one shortly after it starts, then daily and on change.</Empty>;
  }
  if (inv.error) return <ErrorBox error={inv.error} retry={inv.reload} />;
  if (!inv.data) return <Loading what="Loading the inventory" />;
  const doc = inv.data.inventory as Inventory;
  const os = doc.os ?? {};
  return (
    <div className="host-inventory">
      <p className="muted">Collected {formatTime(inv.data.collectedAt)}</p>
      <div className="grid">
        <section className="card" aria-labelledby="inv-os">
          <h2 id="inv-os">Operating system</h2>
          <dl className="facts">
            <dt>System</dt>
            <dd>{[os.distro, os.release, os.codename && `(${os.codename})`].filter(Boolean).join(" ") || os.platform || "—"}</dd>
            <dt>Kernel / build</dt>
            <dd>{os.kernel || os.build || "—"}</dd>
            <dt>Architecture</dt>
            <dd>{os.arch || "—"}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="inv-hw">
          <h2 id="inv-hw">Hardware</h2>
          <dl className="facts">
            <dt>Model</dt>
            <dd>
              {[doc.system?.manufacturer, doc.system?.model].filter(Boolean).join(" ") || "—"}
              {doc.system?.virtual ? " (virtual)" : ""}
            </dd>
            <dt>Serial</dt>
            <dd>{doc.system?.serial || "—"}</dd>
            <dt>CPU</dt>
            <dd>{doc.cpu?.brand ? `${doc.cpu.brand}, ${doc.cpu.cores ?? "?"} cores` : "—"}</dd>
            <dt>Memory</dt>
            <dd>{doc.memory?.totalBytes ? formatBytes(doc.memory.totalBytes) : "—"}</dd>
          </dl>
        </section>
      </div>
      <h2>Disks</h2>
      {doc.disks && doc.disks.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Model</th>
                <th scope="col">Type</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">SMART</th>
              </tr>
            </thead>
            <tbody>
              {doc.disks.map((d) => (
                <tr key={d.device}>
                  <td>{d.device}</td>
                  <td>{d.model || "—"}</td>
                  <td>{d.type || "—"}</td>
                  <td className="num">{formatBytes(d.sizeBytes)}</td>
                  <td>{d.smart}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No physical disks reported (usual for containers and some virtual machines).</p>
      )}
      <Software items={doc.software ?? []} />
    </div>
  );
}

function Software({ items }: { items: NonNullable<Inventory["software"]> }) {
  const [filter, setFilter] = useState("");
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = items.filter((s) => words.every((w) => `${s.name} ${s.version} ${s.publisher}`.toLowerCase().includes(w)));
  const limit = 500;
  return (
    <section aria-labelledby="inv-sw">
      <h2 id="inv-sw">Software ({items.length})</h2>
      <div className="fleet-filter">
        <label htmlFor="sw-filter">Filter software</label>
        <input id="sw-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="name, version or publisher" />
        <small className="hint" role="status">
          {shown.length} of {items.length}
          {shown.length > limit ? `, first ${limit} shown` : ""}
        </small>
      </div>
      {items.length === 0 ? (
        <p className="muted">No software list in this inventory.</p>
      ) : shown.length === 0 ? (
        <p className="muted">Nothing matches “{filter}”.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Version</th>
                <th scope="col">Publisher</th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, limit).map((s, i) => (
                <tr key={`${s.name}@${s.version}#${i}`}>
                  <td>{s.name}</td>
                  <td>{s.version}</td>
                  <td>{s.publisher || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
