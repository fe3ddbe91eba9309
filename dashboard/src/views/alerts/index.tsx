import { Route, Routes } from "react-router";
import { AlertDetail } from "./AlertDetail";
import { AlertList } from "./AlertList";
import "./alerts.css";

/** Alerts: the list by state at /alerts, one alert with its delivery log at /alerts/:id. */
export function AlertsView() {
  return (
    <Routes>
      <Route index element={<AlertList />} />
      <Route path=":id" element={<AlertDetail />} />
    </Routes>
  );
}
