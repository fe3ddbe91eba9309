import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/**
 * A client's availability policy as stored (JSON in client_policies). Each field is validated by the
 * availability core before it is saved; a missing field means "use the default" and reports say so.
 */
export interface ClientPolicy {
  /** SLA target in percent, e.g. 99.9. */
  sloPct?: number;
  /** Business hours in the client's time zone (the zone comes from the client), or all hours. */
  businessCalendar?: { weekly: Record<string, { start: string; end: string }[]>; holidays?: string[] } | "24x7";
  /** Cost-model fields (availability's CostModelInput); the currency is the client's. */
  costModel?: Record<string, number>;
  /** Who receives the scheduled report emails. */
  reportRecipients?: string[];
  /** Which scheduled reports are emailed. */
  reportSchedule?: { monthly?: boolean; quarterly?: boolean };
}

/** The stored policy of a client, or an empty one (every field defaulted). */
export async function findClientPolicy(store: Store, clientId: string): Promise<ClientPolicy> {
  const rows = await store.query<{ policy: string }>("SELECT policy FROM client_policies FINAL WHERE client_id = {id:String}", { id: clientId });
  return rows[0] ? (JSON.parse(rows[0].policy) as ClientPolicy) : {};
}

/** Every client's stored policy by client id (clients without one are absent). */
export async function listClientPolicies(store: Store): Promise<Map<string, ClientPolicy>> {
  const rows = await store.query<{ client_id: string; policy: string }>("SELECT client_id, policy FROM client_policies FINAL");
  return new Map(rows.map((r) => [r.client_id, JSON.parse(r.policy) as ClientPolicy]));
}

/** Writes a client's whole policy (a new version of its row). */
export async function saveClientPolicy(store: Store, clientId: string, policy: ClientPolicy, actor: string): Promise<void> {
  await store.insert("client_policies", [{ client_id: clientId, policy: JSON.stringify(policy), updated_at: Date.now(), updated_by: actor, version: nextVersion() }]);
}

/** Time-zone overrides of sites, by site id (only sites that have one). */
export async function siteTimezones(store: Store, filter: { clientId?: string } = {}): Promise<Map<string, string>> {
  const where = filter.clientId === undefined ? "" : "WHERE client_id = {c:String}";
  const rows = await store.query<{ site_id: string; timezone: string }>(
    `SELECT site_id, timezone FROM site_settings FINAL ${where}`,
    filter.clientId === undefined ? {} : { c: filter.clientId },
  );
  return new Map(rows.filter((r) => r.timezone !== "").map((r) => [r.site_id, r.timezone]));
}

/** Sets (or, with "", clears) a site's time-zone override. */
export async function saveSiteTimezone(store: Store, site: { siteId: string; clientId: string; timezone: string }, actor: string): Promise<void> {
  await store.insert("site_settings", [
    { site_id: site.siteId, client_id: site.clientId, timezone: site.timezone, updated_at: Date.now(), updated_by: actor, version: nextVersion() },
  ]);
}

/** What a host means to the business. */
export interface HostProfile {
  hostId: string;
  clientId: string;
  /** Free text: "file server", "ERP database". */
  role: string;
  /** e.g. tier-1 (critical), tier-2, tier-3. */
  tier: string;
  criticality: "critical" | "high" | "normal" | "low";
  /** Share of the business this host takes down (0–1); null = an equal share of the client's hosts. */
  businessShare: number | null;
  tags: string[];
}

interface HostProfileRow {
  agent_id: string;
  client_id: string;
  role: string;
  tier: string;
  criticality: string;
  business_share: number | null;
  tags: string[];
}

/** Profiles of hosts by host id (hosts without one are absent). */
export async function hostProfiles(store: Store, filter: { clientId?: string } = {}): Promise<Map<string, HostProfile>> {
  const where = filter.clientId === undefined ? "" : "WHERE client_id = {c:String}";
  const rows = await store.query<HostProfileRow>(
    `SELECT agent_id, client_id, role, tier, criticality, business_share, tags FROM host_profiles FINAL ${where}`,
    filter.clientId === undefined ? {} : { c: filter.clientId },
  );
  return new Map(
    rows.map((r) => [
      r.agent_id,
      { hostId: r.agent_id, clientId: r.client_id, role: r.role, tier: r.tier, criticality: (r.criticality || "normal") as HostProfile["criticality"], businessShare: r.business_share, tags: r.tags },
    ]),
  );
}

/** Writes a host's whole profile (a new version of its row). */
export async function saveHostProfile(store: Store, profile: HostProfile, actor: string): Promise<void> {
  await store.insert("host_profiles", [
    {
      agent_id: profile.hostId,
      client_id: profile.clientId,
      role: profile.role,
      tier: profile.tier,
      criticality: profile.criticality,
      business_share: profile.businessShare,
      tags: profile.tags,
      updated_at: Date.now(),
      updated_by: actor,
      version: nextVersion(),
    },
  ]);
}
