import type { CheckResult, ConnectionEvent, HealthSample, Interval, SampleRun, SpoolLoss } from "../availability/index.js";
import type { Store } from "../store/clickhouse.js";
import { listAgents, type AgentRow } from "../store/queries/agents.js";
import { findClient, type ClientRow } from "../store/queries/clients.js";
import { anyCollectorRun, checkEvidence, collectorRuns, connectionEvents, spoolLosses, unsettledSamples } from "../store/queries/evidence.js";
import { runsForReport } from "../store/queries/health-runs.js";
import { listAnnotations, type StoredAnnotation } from "../store/queries/incident-annotations.js";
import { readJobMark } from "../store/queries/job-marks.js";
import { listMaintenanceWindows, type StoredMaintenanceWindow } from "../store/queries/maintenance.js";
import { findClientPolicy, hostProfiles, siteTimezones, type ClientPolicy, type HostProfile } from "../store/queries/policies.js";
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
  const lo = from - EVIDENCE_PAD_MS;
  const hi = to + EVIDENCE_PAD_MS;
  const mark = await readJobMark(store, SETTLE_JOB);
  const [policy, sites, tz, profiles, maintenance, annotations, agents, runs, samples, events, losses, checks, runsOfCollector] = await Promise.all([
    findClientPolicy(store, clientId),
    listSites(store, { clientId }),
    siteTimezones(store, { clientId }),
    hostProfiles(store, { clientId }),
    listMaintenanceWindows(store, { clientId }),
    listAnnotations(store, { clientId }),
    listAgents(store, { clientId }),
    runsForReport(store, clientId, lo, hi),
    unsettledSamples(store, clientId, mark, lo, hi),
    connectionEvents(store, clientId, lo, hi),
    spoolLosses(store, clientId, lo, hi),
    checkEvidence(store, clientId, lo, hi),
    collectorRuns(store, lo, hi, now, currentRunId),
  ]);
  const runsByAgent = new Map<string, SampleRun[]>();
  for (const r of runs) {
    const list = runsByAgent.get(r.agentId) ?? [];
    list.push({ start: r.start, end: r.end, bootId: r.bootId });
    runsByAgent.set(r.agentId, list);
  }
  return {
    client,
    policy,
    sites,
    siteTimezones: tz,
    profiles,
    maintenance,
    annotations,
    hosts: agents.map((host) => ({
      host,
      runs: runsByAgent.get(host.id) ?? [],
      samples: samples.get(host.id) ?? [],
      connectionEvents: events.get(host.id) ?? [],
      checkResults: checks.get(host.id) ?? [],
      spoolLosses: losses.get(host.id) ?? [],
    })),
    // A store that never recorded a collector run (seeded data, an import) says nothing about the collector.
    collectorRuns: runsOfCollector.length > 0 || (await anyCollectorRun(store)) ? runsOfCollector : undefined,
    from: lo,
    to: hi,
  };
}
