import type { CheckResult, ConnectionEvent, HealthSample, Interval, SampleRun, SpoolLoss } from "../availability/index.js";
import type { Store } from "../store/clickhouse.js";
import { listAgents, type AgentRow } from "../store/queries/agents.js";
import { findClient, listClients, type ClientRow } from "../store/queries/clients.js";
import { anyCollectorRun, checkEvidence, collectorRuns, connectionEvents, spoolLosses, unsettledSamples } from "../store/queries/evidence.js";
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
  const [evidence] = await loadEvidence(store, [client], from, to, now, currentRunId);
  return (await evidence!)[0] ?? null;
}

/**
 * Clients per check-results query of the fleet report: the store reads the second half while the caller
 * computes the first. Smaller batches overlap more but cost the store more in all (each query plans again).
 */
export const FLEET_CHECK_BATCH = 25;

/**
 * The evidence of every client for [from, to], read with one query per table rather than one per
 * client and table (the fleet report). Check results, the costly read, come in batches of clients: the
 * promises are in the clients' order and every query is issued at once, so a caller computing one
 * batch's figures overlaps the store reading the next.
 */
export async function fleetEvidenceBatches(
  store: Store,
  from: number,
  to: number,
  now = Date.now(),
  currentRunId?: string,
  checkBatch = FLEET_CHECK_BATCH,
): Promise<Array<Promise<ClientEvidence[]>>> {
  return loadEvidence(store, await listClients(store), from, to, now, currentRunId, checkBatch);
}

/** The evidence of every client for [from, to] (the fleet report's, all batches awaited). */
export async function loadFleetEvidence(store: Store, from: number, to: number, now = Date.now(), currentRunId?: string, checkBatch = FLEET_CHECK_BATCH): Promise<ClientEvidence[]> {
  return (await Promise.all(await fleetEvidenceBatches(store, from, to, now, currentRunId, checkBatch))).flat();
}

async function loadEvidence(
  store: Store,
  clients: readonly ClientRow[],
  from: number,
  to: number,
  now: number,
  currentRunId?: string,
  checkBatch = Math.max(1, clients.length),
): Promise<Array<Promise<ClientEvidence[]>>> {
  // One client: every query is bounded by its key prefix. Several: each table is read once for all.
  const only = clients.length === 1 ? clients[0]!.id : undefined;
  const filter = only === undefined ? {} : { clientId: only };
  const lo = from - EVIDENCE_PAD_MS;
  const hi = to + EVIDENCE_PAD_MS;
  const mark = await readJobMark(store, SETTLE_JOB);
  const shared = Promise.all([
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
    collectorRuns(store, lo, hi, now, currentRunId),
  ]).then(async ([policies, sites, tz, profiles, maintenance, annotations, agents, runs, samples, events, losses, runsOfCollector]) => {
    // A store that never recorded a collector run (seeded data, an import) says nothing about the collector.
    const collector = runsOfCollector.length > 0 || (await anyCollectorRun(store)) ? runsOfCollector : undefined;
    const runsByAgent = new Map<string, SampleRun[]>();
    for (const r of runs) {
      const list = runsByAgent.get(r.agentId) ?? [];
      list.push({ start: r.start, end: r.end, bootId: r.bootId });
      runsByAgent.set(r.agentId, list);
    }
    return {
      policies,
      sitesOf: byClient(sites, (site) => site.client_id),
      tz,
      profiles,
      maintenanceOf: byClient(maintenance, (m) => m.clientId),
      annotations,
      agentsOf: byClient(agents, (host) => host.client_id),
      runsByAgent,
      samples,
      events,
      losses,
      collector,
    };
  });
  // With no clients nothing awaits the reads; their failure must not go unhandled either.
  shared.catch(() => undefined);
  // Issued after the reads above, and all at once: the store works through them while batches are computed.
  const batches: Array<Promise<ClientEvidence[]>> = [];
  for (let i = 0; i < clients.length; i += checkBatch) {
    const batch = clients.slice(i, i + checkBatch);
    const checks = checkEvidence(store, batch.map((c) => c.id), lo, hi);
    const assembled = Promise.all([shared, checks]).then(([s, checkResults]) =>
      batch.map((client) => ({
        client,
        policy: s.policies.get(client.id) ?? {},
        sites: s.sitesOf.get(client.id) ?? [],
        siteTimezones: s.tz,
        profiles: s.profiles,
        maintenance: s.maintenanceOf.get(client.id) ?? [],
        annotations: s.annotations,
        hosts: (s.agentsOf.get(client.id) ?? []).map((host) => ({
          host,
          runs: s.runsByAgent.get(host.id) ?? [],
          samples: s.samples.get(host.id) ?? [],
          connectionEvents: s.events.get(host.id) ?? [],
          checkResults: checkResults.get(host.id) ?? [],
          spoolLosses: s.losses.get(host.id) ?? [],
        })),
        collectorRuns: s.collector,
        from: lo,
        to: hi,
      })),
    );
    // A caller that stops at a failed batch never awaits the later ones: their failure must not go unhandled.
    assembled.catch(() => undefined);
    batches.push(assembled);
  }
  return batches;
}

// Rows grouped by their client, in their order: each client's share without a pass over every row per client.
function byClient<T>(rows: readonly T[], clientOf: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(clientOf(row));
    if (list) list.push(row);
    else out.set(clientOf(row), [row]);
  }
  return out;
}
