import { BrowserRouter, NavLink, Route, Routes } from "react-router";
import { SessionProvider, useSession } from "./api/session";
import { AlertsView } from "./views/alerts";
import { FleetView } from "./views/fleet";
import { HostView } from "./views/host";
import { IncidentsView } from "./views/incidents";
import { ReportsView } from "./views/reports";
import { SettingsView } from "./views/settings";

/** The dashboard: login, then the navigation and one view per route. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </BrowserRouter>
  );
}

function Shell() {
  const { user, logout } = useSession();
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Vigil</span>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Fleet
          </NavLink>
          <NavLink to="/alerts">Alerts</NavLink>
          <NavLink to="/incidents">Incidents</NavLink>
          <NavLink to="/reports">Reports</NavLink>
          {user.role !== "viewer" && <NavLink to="/settings">Settings</NavLink>}
        </nav>
        <span className="whoami">
          {user.username} <small>({user.role})</small>
          <button type="button" className="link" onClick={() => void logout()}>
            Log out
          </button>
        </span>
      </header>
      <main id="main" className="content">
        <Routes>
          <Route path="/" element={<FleetView />} />
          <Route path="/hosts/:id/*" element={<HostView />} />
          <Route path="/alerts/*" element={<AlertsView />} />
          <Route path="/incidents/*" element={<IncidentsView />} />
          <Route path="/reports/*" element={<ReportsView />} />
          <Route path="/settings/*" element={<SettingsView />} />
          <Route path="*" element={<p>There is no page here. Use the navigation above.</p>} />
        </Routes>
      </main>
    </div>
  );
}
