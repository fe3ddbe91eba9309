import { lazy, Suspense } from "react";
import { BrowserRouter, NavLink, Route, Routes } from "react-router";
import { SessionProvider, useSession } from "./api/session";
import { Loading } from "./components/States";
import { FleetView } from "./views/fleet";

// The fleet is the landing page; the other views load when first opened, so a phone fetches less up front.
const HostView = lazy(() => import("./views/host").then((m) => ({ default: m.HostView })));
const AlertsView = lazy(() => import("./views/alerts").then((m) => ({ default: m.AlertsView })));
const IncidentsView = lazy(() => import("./views/incidents").then((m) => ({ default: m.IncidentsView })));
const ReportsView = lazy(() => import("./views/reports").then((m) => ({ default: m.ReportsView })));
const SettingsView = lazy(() => import("./views/settings").then((m) => ({ default: m.SettingsView })));

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
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<FleetView />} />
            <Route path="/hosts/:id/*" element={<HostView />} />
            <Route path="/alerts/*" element={<AlertsView />} />
            <Route path="/incidents/*" element={<IncidentsView />} />
            <Route path="/reports/*" element={<ReportsView />} />
            <Route path="/settings/*" element={<SettingsView />} />
            <Route path="*" element={<p>There is no page here. Use the navigation above.</p>} />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}
