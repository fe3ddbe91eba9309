import { api, ApiFailure, call } from "../../api/client";
import type { components } from "../../api/schema";
import { useSession, type SessionUser } from "../../api/session";
import { useApi, type Loaded } from "../../api/useApi";

/** A client as the pickers show it. */
export type ClientSummary = Pick<components["schemas"]["Client"], "id" | "name" | "currency" | "timezone">;

/**
 * The clients this user may see, by name. Only an admin may list every client, so other roles learn theirs
 * from the sites they can read (a viewer: its own client) and read each client by id.
 */
async function loadClients(user: SessionUser): Promise<ClientSummary[]> {
  if (user.role === "viewer" && user.clientId) return [await call(api.GET("/api/v1/clients/{id}", { params: { path: { id: user.clientId } } }))];
  try {
    return (await call(api.GET("/api/v1/clients"))).items;
  } catch (err) {
    if (!(err instanceof ApiFailure) || err.status !== 403) throw err;
  }
  const sites = await call(api.GET("/api/v1/sites"));
  const ids = [...new Set(sites.items.map((s) => s.clientId))];
  const clients = await Promise.all(ids.map((id) => call(api.GET("/api/v1/clients/{id}", { params: { path: { id } } }))));
  return clients.sort((a, b) => a.name.localeCompare(b.name));
}

/** The clients the logged-in user may see (for pickers and for naming a client id). */
export function useClients(): Loaded<ClientSummary[]> {
  const { user } = useSession();
  return useApi(() => loadClients(user), [user.id, user.role, user.clientId]);
}
