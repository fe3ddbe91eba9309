import { NavLink, Route, Routes, useLocation } from "react-router";
import { useSession } from "../../api/session";
import { ClientReport } from "./ClientReport";
import { FleetReport } from "./FleetReport";
import "./reports.css";

/** Reports: a client's SLA and downtime-cost report (PDF, CSV, print, saved runs) and, for admins and vCIOs, the fleet report. */
export function ReportsView() {
  const { can } = useSession();
  const { search } = useLocation();
  // The period travels between the tabs; the client does not belong to the fleet report.
  const keep = new URLSearchParams(search);
  keep.delete("client");
  const period = keep.toString() ? `?${keep.toString()}` : "";
  return (
    <div className="reports-view">
      <h1 className="no-print">Reports</h1>
      {can("admin", "technician", "vcio") && (
        <nav className="tabs no-print" aria-label="Reports">
          <NavLink to={`/reports${period}`} end>
            Client report
          </NavLink>
          <NavLink to={`/reports/fleet${period}`}>All clients</NavLink>
        </nav>
      )}
      <Routes>
        <Route index element={<ClientReport />} />
        <Route path="fleet" element={<FleetReport />} />
        <Route path="*" element={<p>There is no such report. Use the tabs above.</p>} />
      </Routes>
    </div>
  );
}
