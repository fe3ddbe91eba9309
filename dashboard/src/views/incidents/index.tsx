import { Route, Routes } from "react-router";
import { IncidentList } from "./IncidentList";
import "./incidents.css";

/** Incidents: what went down, why, for how long and at what cost; annotated by technicians and vCIOs. */
export function IncidentsView() {
  return (
    <Routes>
      <Route index element={<IncidentList />} />
    </Routes>
  );
}
