import type { ReactElement } from "react";
import { Navigate, NavLink, Route, Routes } from "react-router";
import { useSession, type SessionUser } from "../../api/session";
import { ChannelsPage } from "./alerting/ChannelsPage";
import { RoutesPage } from "./alerting/RoutesPage";
import { RulesPage } from "./alerting/RulesPage";
import { ClientPage } from "./clients/ClientPage";
import { ClientsPage } from "./clients/ClientsPage";
import { EnrollmentPage } from "./enrollment/EnrollmentPage";
import { MaintenancePage } from "./maintenance/MaintenancePage";
import { SitesPage } from "./sites/SitesPage";
import { UsersPage } from "./users/UsersPage";
import "./settings.css";

type Role = SessionUser["role"];

/** Settings pages and the roles that may use each (the API enforces the same; this only hides what would fail). */
const PAGES: Array<{ path: string; label: string; roles: Role[]; element: ReactElement }> = [
  { path: "clients/*", label: "Clients", roles: ["admin", "vcio"], element: <ClientsRoutes /> },
  { path: "sites", label: "Sites", roles: ["admin", "technician"], element: <SitesPage /> },
  { path: "enrollment", label: "Enrollment tokens", roles: ["admin", "technician"], element: <EnrollmentPage /> },
  { path: "maintenance", label: "Maintenance windows", roles: ["admin", "technician"], element: <MaintenancePage /> },
  { path: "channels", label: "Alert channels", roles: ["admin", "technician"], element: <ChannelsPage /> },
  { path: "rules", label: "Alert rules", roles: ["admin", "technician"], element: <RulesPage /> },
  { path: "routes", label: "Alert routes", roles: ["admin", "technician"], element: <RoutesPage /> },
  { path: "users", label: "Users", roles: ["admin"], element: <UsersPage /> },
];

function ClientsRoutes() {
  return (
    <Routes>
      <Route index element={<ClientsPage />} />
      <Route path=":id" element={<ClientPage />} />
    </Routes>
  );
}

/** Settings: clients and their policies, sites, enrollment, maintenance, alerting and users, by role. */
export function SettingsView() {
  const { can } = useSession();
  const pages = PAGES.filter((p) => can(...p.roles));
  if (pages.length === 0) {
    return (
      <div className="empty">
        <h1>Settings</h1>
        <p>Your role has no settings to change. Ask an administrator if you need something changed.</p>
      </div>
    );
  }
  return (
    <div className="settings">
      <nav className="settings-nav" aria-label="Settings">
        <h1 className="settings-title">Settings</h1>
        <ul>
          {pages.map((p) => (
            <li key={p.path}>
              <NavLink to={`/settings/${p.path.replace("/*", "")}`}>{p.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-page">
        <Routes>
          <Route index element={<Navigate to={`/settings/${pages[0]!.path.replace("/*", "")}`} replace />} />
          {pages.map((p) => (
            <Route key={p.path} path={p.path} element={p.element} />
          ))}
          <Route path="*" element={<p>There is no settings page here, or your role may not use it. Pick one from the list.</p>} />
        </Routes>
      </div>
    </div>
  );
}
