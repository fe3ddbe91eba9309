/**
 * What the alert engine reads and writes, behind one narrow interface: the store in production, an
 * in-memory stand-in in unit tests (testing.ts).
 */
import type { MaintenanceWindow } from "../availability/index.js";
import type { Store } from "../store/clickhouse.js";
import { listAgents } from "../store/queries/agents.js";
import { ackLinkKey, listChannels, listRoutes, listRules, listSilences, type AlertRoute, type AlertSilence, type StoredChannel } from "../store/queries/alert-config.js";
import { filesystemTrends, type FilesystemTrend } from "../inventory/lifecycle.js";
import { recordInventoryChanges } from "../inventory/change-log.js";
import {
  checkStreaks,
  collectorLives,
  connectTimes,
  connectionEventsSince,
  inventoryChangesSince,
  lastConnections,
  openLinks,
  seriesStats,
  type CheckStreak,
  type CollectorConnectionEvent,
  type CollectorLife,
  type InventoryChangeSignal,
  type LastConnection,
  type OpenLink,
  type SeriesStats,
} from "../store/queries/alert-signals.js";
import { findAlert, listAlerts, listDeliveries, logDeliveries, openAlerts, saveAlert, type DeliveryLogEntry } from "../store/queries/alerts.js";
import { filesystemUsage } from "../store/queries/inventory.js";
import { listClients } from "../store/queries/clients.js";
import { listMaintenanceWindows } from "../store/queries/maintenance.js";
import { hostProfiles } from "../store/queries/policies.js";
import { listSites } from "../store/queries/sites.js";
import type { AlertRule, RuleKind } from "./rules.js";
import type { Alert } from "./state.js";

/** A monitored host as alerts name it. */
export interface HostInfo {
  id: string;
  clientId: string;
  siteId: string;
  hostname: string;
  clientName: string;
  siteName: string;
  /** Host profile tags, plus `tier:<tier>` when it has one. */
  tags: string[];
}

/** Everything configurable that the engine acts on. */
export interface AlertConfig {
  rules: AlertRule[];
  channels: StoredChannel[];
  routes: AlertRoute[];
  /** Silences that have not ended. */
  silences: AlertSilence[];
  maintenance: MaintenanceWindow[];
}

/** The engine's door to storage. */
export interface AlertRepository {
  loadConfig(now: number): Promise<AlertConfig>;
  /** Enrolled, unrevoked hosts. */
  loadHosts(): Promise<HostInfo[]>;
  openAlerts(): Promise<Alert[]>;
  findAlert(id: string): Promise<Alert | null>;
  saveAlert(alert: Alert): Promise<void>;
  logDeliveries(entries: DeliveryLogEntry[]): Promise<void>;
  /** Channels each alert was notified on (from the delivery log). */
  notifiedChannels(alertIds: readonly string[]): Promise<Map<string, Set<string>>>;
  lastConnections(sinceMs: number): Promise<LastConnection[]>;
  /** Connects and disconnects other collectors recorded since `sinceMs`, oldest first. */
  connectionEventsSince(sinceMs: number, exceptCollectorId: string): Promise<CollectorConnectionEvent[]>;
  /** Connections each collector still holds by its own record (last event a connect) since `sinceMs`. */
  openLinks(sinceMs: number): Promise<OpenLink[]>;
  /** Collector runs (heartbeats, clean stops) alive since `sinceMs`. */
  collectorLives(sinceMs: number): Promise<CollectorLife[]>;
  checkStreaks(sinceMs: number, depth: number): Promise<CheckStreak[]>;
  seriesStats(metric: string, sinceMs: number): Promise<SeriesStats[]>;
  /** Filesystem usage series of the clients' hosts, by host (as the lifecycle report reads them). */
  filesystemTrends(clientIds: readonly string[], now: number): Promise<Map<string, FilesystemTrend[]>>;
  /** Each agent's connect times since `sinceMs`, oldest first. */
  connectTimes(sinceMs: number): Promise<Map<string, number[]>>;
  /** Inventory changes in documents collected since `sinceMs`, the clients' new documents compared first. */
  inventoryChanges(clientIds: readonly string[], sinceMs: number, now: number): Promise<InventoryChangeSignal[]>;
  /** Subject keys of alerts of a kind that fired since `sinceMs` (open or not). */
  alertSubjects(kind: RuleKind, sinceMs: number): Promise<Set<string>>;
  /** The key that signs ack links. */
  ackKey(): Promise<string>;
}

/** The repository over the collector's store. */
export class StoreAlertRepository implements AlertRepository {
  constructor(private readonly store: Store) {}

  async loadConfig(now: number): Promise<AlertConfig> {
    const [rules, channels, routes, silences, windows] = await Promise.all([
      listRules(this.store),
      listChannels(this.store),
      listRoutes(this.store),
      listSilences(this.store, { endsAfter: now }),
      listMaintenanceWindows(this.store),
    ]);
    return { rules, channels, routes, silences, maintenance: windows.map((w) => w.window) };
  }

  async loadHosts(): Promise<HostInfo[]> {
    const [agents, sites, clients, profiles] = await Promise.all([listAgents(this.store), listSites(this.store), listClients(this.store), hostProfiles(this.store)]);
    const siteNames = new Map(sites.map((s) => [s.id, s.name]));
    const clientNames = new Map(clients.map((c) => [c.id, c.name]));
    return agents
      .filter((a) => a.revoked_at === null)
      .map((a) => {
        const profile = profiles.get(a.id);
        const tags = [...(profile?.tags ?? []), ...(profile?.tier ? [`tier:${profile.tier}`] : [])];
        return { id: a.id, clientId: a.client_id, siteId: a.site_id, hostname: a.hostname, clientName: clientNames.get(a.client_id) ?? a.client_id, siteName: siteNames.get(a.site_id) ?? a.site_id, tags };
      });
  }

  openAlerts(): Promise<Alert[]> {
    return openAlerts(this.store);
  }

  findAlert(id: string): Promise<Alert | null> {
    return findAlert(this.store, id);
  }

  saveAlert(alert: Alert): Promise<void> {
    return saveAlert(this.store, alert);
  }

  logDeliveries(entries: DeliveryLogEntry[]): Promise<void> {
    return logDeliveries(this.store, entries);
  }

  async notifiedChannels(alertIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    for (const d of await listDeliveries(this.store, alertIds)) {
      if (!d.channelId) continue;
      const set = out.get(d.alertId) ?? new Set<string>();
      set.add(d.channelId);
      out.set(d.alertId, set);
    }
    return out;
  }

  lastConnections(sinceMs: number): Promise<LastConnection[]> {
    return lastConnections(this.store, sinceMs);
  }

  connectionEventsSince(sinceMs: number, exceptCollectorId: string): Promise<CollectorConnectionEvent[]> {
    return connectionEventsSince(this.store, sinceMs, exceptCollectorId);
  }

  openLinks(sinceMs: number): Promise<OpenLink[]> {
    return openLinks(this.store, sinceMs);
  }

  collectorLives(sinceMs: number): Promise<CollectorLife[]> {
    return collectorLives(this.store, sinceMs);
  }

  checkStreaks(sinceMs: number, depth: number): Promise<CheckStreak[]> {
    return checkStreaks(this.store, sinceMs, depth);
  }

  seriesStats(metric: string, sinceMs: number): Promise<SeriesStats[]> {
    return seriesStats(this.store, metric, sinceMs);
  }

  async filesystemTrends(clientIds: readonly string[], now: number): Promise<Map<string, FilesystemTrend[]>> {
    const out = new Map<string, FilesystemTrend[]>();
    // Per client, as the lifecycle report reads them: one fleet-wide read of minute rollups would be huge.
    for (const clientId of clientIds) {
      const [hourly, minutely] = await Promise.all([
        filesystemUsage(this.store, clientId, "metrics_1h", now - 14 * 86_400_000),
        filesystemUsage(this.store, clientId, "metrics_1m", now - 3 * 86_400_000),
      ]);
      for (const [agentId, trends] of filesystemTrends(hourly, minutely)) out.set(agentId, trends);
    }
    return out;
  }

  connectTimes(sinceMs: number): Promise<Map<string, number[]>> {
    return connectTimes(this.store, sinceMs);
  }

  async inventoryChanges(clientIds: readonly string[], sinceMs: number, now: number): Promise<InventoryChangeSignal[]> {
    // Changes are computed on demand (the API does the same); stored comparisons are not repeated.
    for (const clientId of clientIds) await recordInventoryChanges(this.store, { clientId, fromMs: sinceMs, toMs: now });
    return inventoryChangesSince(this.store, sinceMs);
  }

  async alertSubjects(kind: RuleKind, sinceMs: number): Promise<Set<string>> {
    return new Set((await listAlerts(this.store, { ruleKind: kind, since: sinceMs, limit: 1_000_000 })).map((a) => a.subjectKey));
  }

  ackKey(): Promise<string> {
    return ackLinkKey(this.store);
  }
}
