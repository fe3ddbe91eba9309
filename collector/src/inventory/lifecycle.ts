import type { InventoryDisk } from "@vigil/protocol";
import type { Store } from "../store/clickhouse.js";
import { listAgents, type AgentRow } from "../store/queries/agents.js";
import { filesystemUsage, inventoryFirstSeen, lifecycleInventory, type FsPointRow, type LifecycleInventoryRow } from "../store/queries/inventory.js";
import { bytes } from "./changes.js";
import { EOL_TABLE_CHECKED_ON } from "./eol-data.js";
import { EOL_WARN_DAYS, lookupEol } from "./eol.js";
import { forecastFull, type FillForecast, type Point } from "./forecast.js";

export type RiskSeverity = "critical" | "warning" | "info";

/**
 * `os_eol`: past or near its end of support; `os_unknown`: not in the end-of-life table; `hardware_age`: old
 * hardware; `disk_smart`: a disk reports its own failure; `disk_full`: a filesystem fills within 30 days at its
 * current growth; `no_inventory`: the host never sent an inventory, so nothing about it can be judged.
 */
export type RiskCategory = "os_eol" | "os_unknown" | "hardware_age" | "disk_smart" | "disk_full" | "no_inventory";

/** One lifecycle risk of one host, worded for a client's QBR. */
export interface LifecycleRisk {
  hostId: string;
  hostname: string;
  siteId: string;
  category: RiskCategory;
  severity: RiskSeverity;
  title: string;
  detail: string;
  recommendation: string;
  /** When it bites: the end-of-support date or the day a disk fills (YYYY-MM-DD); null when not dated. */
  dueDate: string | null;
  /** Where the date comes from (the vendor's lifecycle page), when it comes from somewhere. */
  source: string | null;
}

export interface LifecycleReport {
  clientId: string;
  clientName: string;
  generatedAt: string;
  /** When the end-of-life table was last reviewed against its sources. */
  eolTableCheckedOn: string;
  /** Hosts assessed (revoked ones are left out). */
  hosts: number;
  summary: Record<RiskSeverity, number>;
  risks: LifecycleRisk[];
}

/** Hardware this old (years since its firmware date) should be budgeted for replacement… */
export const HARDWARE_WARN_YEARS = 5;
/** …and this old is past the usual service life. */
export const HARDWARE_CRITICAL_YEARS = 7;
/** A filesystem forecast to fill within this many days is a risk; within FILL_CRITICAL_DAYS a critical one. */
export const FILL_WARN_DAYS = 30;
export const FILL_CRITICAL_DAYS = 7;

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
const SEVERITY_ORDER: Record<RiskSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** What is known about one host, for {@link assessHost}. */
export interface HostFacts {
  agent: Pick<AgentRow, "id" | "hostname" | "site_id" | "enrolled_at">;
  inventory: LifecycleInventoryRow | null;
  /** When its first inventory arrived. */
  firstSeen?: number;
  filesystems: FilesystemTrend[];
}

/** Usage history of one filesystem of a host. */
export interface FilesystemTrend {
  mount: string;
  used: Point[];
  sizeBytes: number;
  usedPct: number | null;
}

/** The lifecycle risks of one host at `now`. */
export function assessHost(h: HostFacts, now: number): LifecycleRisk[] {
  const risks: LifecycleRisk[] = [];
  const hostname = h.inventory?.hostname || h.agent.hostname;
  const base = { hostId: h.agent.id, hostname, siteId: h.agent.site_id };
  const inv = h.inventory;
  if (!inv) {
    risks.push({
      ...base,
      category: "no_inventory",
      severity: "info",
      title: "No inventory received",
      detail: "The host has not sent an inventory, so its hardware and operating system cannot be assessed.",
      recommendation: "Check that the host runs a current Vigil agent that is connected.",
      dueDate: null,
      source: null,
    });
  } else {
    risks.push(...osRisks(base, inv, now), ...hardwareRisks(base, inv, h.firstSeen ?? h.agent.enrolled_at, now), ...diskRisks(base, inv));
  }
  for (const fs of h.filesystems) {
    const r = fillRisk(base, fs);
    if (r) risks.push(r);
  }
  return risks;
}

type Base = Pick<LifecycleRisk, "hostId" | "hostname" | "siteId">;

function osRisks(base: Base, inv: LifecycleInventoryRow, now: number): LifecycleRisk[] {
  const os = { platform: inv.os_platform, distro: inv.os_distro, release: inv.os_release, build: inv.os_build, id: inv.os_id, versionId: inv.os_version_id };
  const found = lookupEol(os, now);
  const e = found.entry;
  if (found.status === "unknown" || !e) {
    return [
      {
        ...base,
        category: "os_unknown",
        severity: "info",
        title: `Operating system lifecycle unknown: ${[inv.os_distro, inv.os_release].filter(Boolean).join(" ") || "unnamed"}`,
        detail: `${found.reason}; its end of support is not known to Vigil, so it is not counted as supported.`,
        recommendation: "Look the release up on the vendor's lifecycle page; if it is current, add it with its source to the end-of-life table.",
        dueDate: null,
        source: null,
      },
    ];
  }
  if (found.status === "supported") return [];
  const days = found.daysLeft ?? 0;
  const estimate = e.basis === "estimate" ? ` (estimated: ${e.note ?? "the vendor publishes no date"})` : "";
  const extension = e.extendedUntil ? ` Paid extension available: ${e.extendedName ?? "extended support"} until ${e.extendedUntil}.` : "";
  if (found.status === "eol") {
    return [
      {
        ...base,
        category: "os_eol",
        severity: "critical",
        title: `${e.label} is past its end of support (${e.eol})`,
        detail: `${found.reason}. Security updates ended on ${e.eol}${estimate}, ${-days} days ago.${extension}`,
        recommendation: `Upgrade to a supported release or replace the machine; until then limit its exposure${e.extendedUntil && Date.parse(e.extendedUntil) > now ? " or buy the extended security updates" : ""}.`,
        dueDate: e.eol,
        source: e.source,
      },
    ];
  }
  return [
    {
      ...base,
      category: "os_eol",
      severity: "warning",
      title: `${e.label} reaches its end of support on ${e.eol} (in ${days} days)`,
      detail: `${found.reason}. Security updates end on ${e.eol}${estimate}, within ${EOL_WARN_DAYS} days.${extension}`,
      recommendation: `Plan and budget the upgrade so it is done before ${e.eol}.`,
      dueDate: e.eol,
      source: e.source,
    },
  ];
}

function hardwareRisks(base: Base, inv: LifecycleInventoryRow, firstSeen: number, now: number): LifecycleRisk[] {
  // A virtual machine's firmware date says nothing about the hardware under it.
  if (Number(inv.virtual) === 1) return [];
  const biosMs = inv.bios_date ? Date.parse(`${inv.bios_date}T00:00:00Z`) : NaN;
  const fromBios = Number.isFinite(biosMs) && biosMs < now;
  const since = fromBios ? biosMs : firstSeen;
  if (!Number.isFinite(since) || since <= 0) return [];
  const years = (now - since) / YEAR;
  if (years < HARDWARE_WARN_YEARS) return [];
  const critical = years >= HARDWARE_CRITICAL_YEARS;
  const machine = [inv.manufacturer, inv.model].filter(Boolean).join(" ") || "The machine";
  const age = years.toFixed(1);
  return [
    {
      ...base,
      category: "hardware_age",
      severity: critical ? "critical" : "warning",
      title: fromBios ? `Hardware is ${age} years old (firmware from ${inv.bios_date})` : `Hardware is at least ${age} years old (first seen ${isoDay(since)})`,
      detail: `${machine}${inv.serial ? `, serial ${inv.serial}` : ""}: ${fromBios ? "age from its BIOS release date" : "its firmware reports no date; age counted from when Vigil first saw it"}.`,
      recommendation: critical
        ? `Replace it: beyond the usual ${HARDWARE_WARN_YEARS}–${HARDWARE_CRITICAL_YEARS}-year service life; warranty, parts and firmware updates are unlikely.`
        : "Budget its replacement within the next 12 months.",
      dueDate: isoDay(since + (critical ? HARDWARE_CRITICAL_YEARS : HARDWARE_WARN_YEARS) * YEAR),
      source: null,
    },
  ];
}

function diskRisks(base: Base, inv: LifecycleInventoryRow): LifecycleRisk[] {
  let disks: InventoryDisk[] = [];
  try {
    const parsed: unknown = JSON.parse(inv.disks || "[]");
    if (Array.isArray(parsed)) disks = parsed as InventoryDisk[];
  } catch {
    return [];
  }
  return disks
    .filter((d) => d && d.smart === "failing")
    .map((d) => ({
      ...base,
      category: "disk_smart" as const,
      severity: "critical" as const,
      title: `Disk ${[d.model, d.serial && `serial ${d.serial}`].filter(Boolean).join(" ") || d.device} reports a SMART failure`,
      detail: `${d.device}${d.sizeBytes ? `, ${bytes(d.sizeBytes)}` : ""}${d.type ? ` ${d.type}` : ""}: the drive's own health check predicts its failure.`,
      recommendation: "Replace the disk now and verify the backups first; a failing disk can stop at any time.",
      dueDate: null,
      source: null,
    }));
}

/** When a filesystem's usage trend reaches its capacity; null when the trend is flat, too short or too noisy to trust. */
export function fillForecast(fs: FilesystemTrend): FillForecast | null {
  // Usable capacity as df counts it: blocks reserved for root are neither used nor available.
  const last = fs.used[fs.used.length - 1];
  const capacity = fs.usedPct && fs.usedPct > 0 && last ? last.v / (fs.usedPct / 100) : fs.sizeBytes;
  const f = forecastFull(fs.used, capacity, { minPoints: 6, minSpanMs: 6 * 3600_000 });
  // A poor fit is noise unless the disk is nearly full anyway.
  if (!f || (f.r2 < 0.5 && (fs.usedPct ?? 0) < 90)) return null;
  return f;
}

function fillRisk(base: Base, fs: FilesystemTrend): LifecycleRisk | null {
  const f = fillForecast(fs);
  if (!f || f.daysToFull > FILL_WARN_DAYS) return null;
  const days = Math.max(0, Math.floor(f.daysToFull));
  const pct = f.capacityBytes > 0 ? ((f.usedBytes / f.capacityBytes) * 100).toFixed(1) : "?";
  return {
    ...base,
    category: "disk_full",
    severity: f.daysToFull <= FILL_CRITICAL_DAYS ? "critical" : "warning",
    title: `Filesystem ${fs.mount} forecast full on ${isoDay(f.fullAt)} (in ${days} days)`,
    detail: `${bytes(f.usedBytes)} of ${bytes(f.capacityBytes)} used (${pct}%), growing ${bytes(f.bytesPerDay)} a day over the last ${f.spanDays.toFixed(1)} days (linear trend, r² ${f.r2.toFixed(2)}).`,
    recommendation: `Free space or extend the volume before ${isoDay(f.fullAt)}.`,
    dueDate: isoDay(f.fullAt),
    source: null,
  };
}

/** The lifecycle report of one client: every risk of its hosts, most severe and most urgent first. */
export async function lifecycleReport(store: Store, client: { id: string; name: string }, now = Date.now()): Promise<LifecycleReport> {
  const [agents, inventory, firstSeen, hourly, minutely] = await Promise.all([
    listAgents(store, { clientId: client.id }),
    lifecycleInventory(store, client.id),
    inventoryFirstSeen(store, client.id),
    filesystemUsage(store, client.id, "metrics_1h", now - 30 * DAY),
    filesystemUsage(store, client.id, "metrics_1m", now - 3 * DAY),
  ]);
  const byAgent = new Map(inventory.map((r) => [r.agent_id, r]));
  const trends = filesystemTrends(hourly, minutely);
  const risks: LifecycleRisk[] = [];
  const active = agents.filter((a) => a.revoked_at === null);
  for (const agent of active) {
    risks.push(...assessHost({ agent, inventory: byAgent.get(agent.id) ?? null, firstSeen: firstSeen.get(agent.id), filesystems: trends.get(agent.id) ?? [] }, now));
  }
  risks.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.dueDate ?? "9999").localeCompare(b.dueDate ?? "9999") ||
      a.hostname.localeCompare(b.hostname) ||
      a.category.localeCompare(b.category) ||
      a.title.localeCompare(b.title),
  );
  const summary: Record<RiskSeverity, number> = { critical: 0, warning: 0, info: 0 };
  for (const r of risks) summary[r.severity]++;
  return { clientId: client.id, clientName: client.name, generatedAt: new Date(now).toISOString(), eolTableCheckedOn: EOL_TABLE_CHECKED_ON, hosts: active.length, summary, risks };
}

/**
 * Usage series per host and filesystem: hourly averages when they span at least three days, else
 * minute averages of the last three days (a new host), else nothing to extrapolate from.
 */
export function filesystemTrends(hourly: readonly FsPointRow[], minutely: readonly FsPointRow[]): Map<string, FilesystemTrend[]> {
  const group = (rows: readonly FsPointRow[]) => {
    const m = new Map<string, { agent: string; labels: string; used: Point[]; size: Point[]; pct: Point[] }>();
    for (const r of rows) {
      const key = `${r.agent_id}\0${r.labels}`;
      let g = m.get(key);
      if (!g) m.set(key, (g = { agent: r.agent_id, labels: r.labels, used: [], size: [], pct: [] }));
      const p = { t: Number(r.t), v: Number(r.v) };
      if (r.name === "fs.used_bytes") g.used.push(p);
      else if (r.name === "fs.size_bytes") g.size.push(p);
      else g.pct.push(p);
    }
    return m;
  };
  const hours = group(hourly);
  const minutes = group(minutely);
  const out = new Map<string, FilesystemTrend[]>();
  for (const key of new Set([...hours.keys(), ...minutes.keys()])) {
    const h = hours.get(key);
    const span = (g: { used: Point[] } | undefined) => (g && g.used.length > 1 ? g.used[g.used.length - 1]!.t - g.used[0]!.t : 0);
    const g = h && span(h) >= 3 * DAY ? h : minutes.get(key);
    if (!g || g.used.length === 0) continue;
    let mount = "";
    try {
      mount = String((JSON.parse(g.labels) as { mount?: unknown }).mount ?? "");
    } catch {
      // Labels are canonical JSON; a foreign row just has no mount name.
    }
    const trend: FilesystemTrend = {
      mount: mount || g.labels,
      used: g.used,
      sizeBytes: g.size[g.size.length - 1]?.v ?? 0,
      usedPct: g.pct[g.pct.length - 1]?.v ?? null,
    };
    const list = out.get(g.agent) ?? [];
    list.push(trend);
    out.set(g.agent, list);
  }
  return out;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
