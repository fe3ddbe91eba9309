/**
 * What the alert engine reads and writes, behind one narrow interface: the store in production, an
 * in-memory stand-in in unit tests (testing.ts).
 */
import type { MaintenanceWindow } from "../availability/index.js";
import type { Store } from "../store/clickhouse.js";
import { listAgents } from "../store/queries/agents.js";
import { ackLinkKey, listChannels, listRoutes, listRules, listSilences, type AlertRoute, type AlertSilence, type StoredChannel } from "../store/queries/alert-config.js";
import { checkStreaks, lastConnections, seriesStats, type CheckStreak, type LastConnection, type SeriesStats } from "../store/queries/alert-signals.js";
import { findAlert, listDeliveries, logDeliveries, openAlerts, saveAlert, type DeliveryLogEntry } from "../store/queries/alerts.js";
import { listClients } from "../store/queries/clients.js";
import { listMaintenanceWindows } from "../store/queries/maintenance.js";
import { hostProfiles } from "../store/queries/policies.js";
import { listSites } from "../store/queries/sites.js";
import type { AlertRule } from "./rules.js";
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
  checkStreaks(sinceMs: number, depth: number): Promise<CheckStreak[]>;
  seriesStats(metric: string, sinceMs: number): Promise<SeriesStats[]>;
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

  checkStreaks(sinceMs: number, depth: number): Promise<CheckStreak[]> {
    return checkStreaks(this.store, sinceMs, depth);
  }

  seriesStats(metric: string, sinceMs: number): Promise<SeriesStats[]> {
    return seriesStats(this.store, metric, sinceMs);
  }

  ackKey(): Promise<string> {
    return ackLinkKey(this.store);
  }
}
