import type { CheckResult, ConnectionEvent, HealthSample, Interval, SampleRun, SpoolLoss } from "../availability/index.js";
import type { Store } from "../store/clickhouse.js";
import { listAgents, type AgentRow } from "../store/queries/agents.js";
import { findClient, listClients, type ClientRow } from "../store/queries/clients.js";
import { anyCollectorRun, checkEvidence, clientsWithCheckFailures, collectorRuns, connectionEvents, spoolLosses, unsettledSamples } from "../store/queries/evidence.js";
import { runsForReport } from "../store/queries/health-runs.js";
import { listAnnotations, type StoredAnnotation } from "../store/queries/incident-annotations.js";
import { readJobMark } from "../store/queries/job-marks.js";
import { listMaintenanceWindows, type StoredMaintenanceWindow } from "../store/queries/maintenance.js";
import { findClientPolicy, hostProfiles, listClientPolicies, siteTimezones, type ClientPolicy, type HostProfile } from "../store/queries/policies.js";
import { listSites, type SiteRow } from "../store/queries/sites.js";
import { SETTLE_JOB } from "./settler.js";

/** One host's evidence as read from the store (everything but what depends on its neighbours). */
export interface HostRecord {
  host: AgentRow;
  runs: SampleRun[];
  samples: HealthSample[];
  connectionEvents: ConnectionEvent[];
  checkResults: CheckResult[];
  spoolLosses: SpoolLoss[];
}

/** Everything a client's availability is computed from, for one span of time. */
export interface ClientEvidence {
  client: ClientRow;
  policy: ClientPolicy;
  sites: SiteRow[];
  /** Time-zone overrides by site id. */
  siteTimezones: Map<string, string>;
  profiles: Map<string, HostProfile>;
  maintenance: StoredMaintenanceWindow[];
  annotations: Map<string, StoredAnnotation>;
  hosts: HostRecord[];
  /** When a collector was running; undefined when none was ever recorded. */
  collectorRuns: Interval[] | undefined;
  /** The span the evidence covers. */
  from: number;
  to: number;
}

/** Evidence before and after a period is read this far out, so incidents at its edges keep their true start. */
export const EVIDENCE_PAD_MS = 6 * 3_600_000;

/**
 * Reads a client's settings and evidence for [from, to] (padded by {@link EVIDENCE_PAD_MS}); null when the
 * client does not exist. Settled runs and the samples stored since the settler's mark together are every
 * sample, so a report is current even between settler passes.
 */
export async function loadClientEvidence(
  store: Store,
  clientId: string,
  from: number,
  to: number,
  now = Date.now(),
  currentRunId?: string,
): Promise<ClientEvidence | null> {
  const client = await findClient(store, clientId);
  if (!client) return null;
  return (await loadEvidence(store, [client], from, to, now, currentRunId))[0] ?? null;
}

/**
 * The evidence of every client for [from, to], read with one query per table rather than one per
 * client and table (the fleet report): check results are still read per client, and only for the
 * clients whose checks failed in the period.
 */
export async function loadFleetEvidence(store: Store, from: number, to: number, now = Date.now(), currentRunId?: string): Promise<ClientEvidence[]> {
  return loadEvidence(store, await listClients(store), from, to, now, currentRunId);
}

async function loadEvidence(store: Store, clients: readonly ClientRow[], from: number, to: number, now: number, currentRunId?: string): Promise<ClientEvidence[]> {
  // One client: every query is bounded by its key prefix. Several: each table is read once for all.
  const only = clients.length === 1 ? clients[0]!.id : undefined;
  const filter = only === undefined ? {} : { clientId: only };
  const lo = from - EVIDENCE_PAD_MS;
  const hi = to + EVIDENCE_PAD_MS;
  const mark = await readJobMark(store, SETTLE_JOB);
  const [policies, sites, tz, profiles, maintenance, annotations, agents, runs, samples, events, losses, checks, runsOfCollector] = await Promise.all([
    only === undefined ? listClientPolicies(store) : findClientPolicy(store, only).then((p) => new Map([[only, p]])),
    listSites(store, filter),
    siteTimezones(store, filter),
    hostProfiles(store, filter),
    listMaintenanceWindows(store, filter),
    listAnnotations(store, filter),
    listAgents(store, filter),
    runsForReport(store, only, lo, hi),
    unsettledSamples(store, only, mark, lo, hi),
    connectionEvents(store, only, lo, hi),
    spoolLosses(store, only, lo, hi),
    checksOf(store, clients, lo, hi),
    collectorRuns(store, lo, hi, now, currentRunId),
  ]);
  // A store that never recorded a collector run (seeded data, an import) says nothing about the collector.
  const collector = runsOfCollector.length > 0 || (await anyCollectorRun(store)) ? runsOfCollector : undefined;
  const runsByAgent = new Map<string, SampleRun[]>();
  for (const r of runs) {
    const list = runsByAgent.get(r.agentId) ?? [];
    list.push({ start: r.start, end: r.end, bootId: r.bootId });
    runsByAgent.set(r.agentId, list);
  }
  return clients.map((client) => ({
    client,
    policy: policies.get(client.id) ?? {},
    sites: sites.filter((s) => s.client_id === client.id),
    siteTimezones: tz,
    profiles,
    maintenance: maintenance.filter((m) => m.clientId === client.id),
    annotations,
    hosts: agents
      .filter((host) => host.client_id === client.id)
      .map((host) => ({
        host,
        runs: runsByAgent.get(host.id) ?? [],
        samples: samples.get(host.id) ?? [],
        connectionEvents: events.get(host.id) ?? [],
        checkResults: checks.get(host.id) ?? [],
        spoolLosses: losses.get(host.id) ?? [],
      })),
    collectorRuns: collector,
    from: lo,
    to: hi,
  }));
}

// Raw check results are read per client (their sorting key starts with it), and only for clients whose
// checks failed at all in the period: a healthy fleet's checks are never read.
async function checksOf(store: Store, clients: readonly ClientRow[], lo: number, hi: number): Promise<Map<string, CheckResult[]>> {
  const failing = clients.length === 1 ? new Set([clients[0]!.id]) : await clientsWithCheckFailures(store, lo, hi);
  const out = new Map<string, CheckResult[]>();
  for (const client of clients) {
    if (!failing.has(client.id)) continue;
    for (const [agentId, results] of await checkEvidence(store, client.id, lo, hi)) out.set(agentId, results);
  }
  return out;
}
