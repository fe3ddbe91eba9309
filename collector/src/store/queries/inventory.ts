import type { Store } from "../clickhouse.js";

/** A host's newest inventory document, as stored. */
export interface LatestInventoryRow {
  agent_id: string;
  client_id: string;
  site_id: string;
  /** Collection time (epoch ms, skew-corrected). */
  ts: number;
  received_at: number;
  seq: number;
  hash: string;
  document: string;
  raw_bytes: number;
  encoded_bytes: number;
  parts: number;
}

/** The newest inventory of one host, or null when it never sent one. */
export async function latestInventory(store: Store, agentId: string): Promise<LatestInventoryRow | null> {
  const rows = await store.query<LatestInventoryRow>(
    `SELECT agent_id, client_id, site_id, toUnixTimestamp64Milli(ts) AS ts, toUnixTimestamp64Milli(received_at) AS received_at, seq, hash,
            document, raw_bytes, encoded_bytes, parts
     FROM inventory_latest FINAL WHERE agent_id = {agentId:String} ORDER BY seq DESC LIMIT 1`,
    { agentId },
  );
  return rows[0] ?? null;
}

/** What fleet search filters on; every field given must match. */
export interface InventorySearchFilter {
  clientId?: string;
  siteId?: string;
  /** Software name, case-insensitive; `*` matches any run of characters. */
  software?: string;
  /** A phrase the OS name and release contain, case-insensitive ("windows 10", "ubuntu 22.04", "debian 12"). */
  os?: string;
  memoryBelowBytes?: number;
  limit: number;
}

/** One host found by fleet search, with the versions of the software searched for. */
export interface InventorySearchRow {
  agent_id: string;
  client_id: string;
  site_id: string;
  hostname: string;
  ts: number;
  os_platform: string;
  os_distro: string;
  os_release: string;
  os_build: string;
  memory_bytes: number;
  cpu_brand: string;
  manufacturer: string;
  model: string;
  matched_names: string[];
  matched_versions: string[];
}

/** `*` wildcards to an ILIKE pattern; the other LIKE metacharacters are taken literally. */
export function likePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, "%");
}

/** Newest inventories matching the filter, by hostname. Version comparison is left to the caller. */
export async function searchInventory(store: Store, f: InventorySearchFilter): Promise<InventorySearchRow[]> {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: f.limit, pattern: f.software === undefined ? "%" : likePattern(f.software) };
  if (f.clientId !== undefined) {
    where.push("client_id = {clientId:String}");
    params.clientId = f.clientId;
  }
  if (f.siteId !== undefined) {
    where.push("site_id = {siteId:String}");
    params.siteId = f.siteId;
  }
  if (f.software !== undefined) where.push("arrayExists(n -> n ILIKE {pattern:String}, software_names)");
  if (f.os !== undefined) {
    // A phrase, as people name an OS: "Windows 10" (not Windows 11, whose release is 10.0.x), "Ubuntu 22.04", "Debian 12".
    where.push(
      "(positionCaseInsensitiveUTF8(concat(os_distro, ' ', os_release), {os:String}) > 0 OR positionCaseInsensitiveUTF8(concat(os_id, ' ', os_version_id), {os:String}) > 0)",
    );
    params.os = f.os.trim().replace(/\s+/g, " ");
  }
  if (f.memoryBelowBytes !== undefined) {
    where.push("memory_bytes < {memoryBelow:UInt64}");
    params.memoryBelow = f.memoryBelowBytes;
  }
  return store.query<InventorySearchRow>(
    `SELECT agent_id, client_id, site_id, hostname, toUnixTimestamp64Milli(ts) AS ts, os_platform, os_distro, os_release, os_build,
            memory_bytes, cpu_brand, manufacturer, model,
            arrayFilter(n -> n ILIKE {pattern:String}, software_names) AS matched_names,
            arrayFilter((v, n) -> n ILIKE {pattern:String}, software_versions, software_names) AS matched_versions
     FROM inventory_latest FINAL
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY hostname, agent_id
     LIMIT {limit:UInt32}`,
    params,
  );
}

/** One stored document of a host's history. */
export interface InventoryHistoryRow {
  agent_id: string;
  site_id: string;
  seq: number;
  ts: number;
  document: string;
}

/** The document a host sent in batch `seq`, and the one before it (by seq), or null for either. */
export async function snapshotAndPrevious(store: Store, clientId: string, agentId: string, seq: number): Promise<{ current: InventoryHistoryRow | null; previous: InventoryHistoryRow | null }> {
  const rows = await store.query<InventoryHistoryRow>(
    `SELECT agent_id, site_id, seq, toUnixTimestamp64Milli(ts) AS ts, document FROM inventory_history
     WHERE client_id = {clientId:String} AND agent_id = {agentId:String} AND seq <= {seq:UInt64}
     ORDER BY seq DESC LIMIT 1 BY seq LIMIT 2`,
    { clientId, agentId, seq },
  );
  const current = rows[0] && Number(rows[0].seq) === seq ? rows[0] : null;
  const previous = rows.find((r) => Number(r.seq) < seq) ?? null;
  return { current, previous };
}

/**
 * Documents of a client (one host, optionally) received in a period whose changes are not computed yet.
 * (GLOBAL: on a cluster both sides are Distributed tables, which a plain IN would refuse.)
 */
export async function uncomparedSnapshots(store: Store, q: { clientId: string; agentId?: string; fromMs: number; toMs: number }): Promise<Array<{ agent_id: string; seq: number }>> {
  return store.query<{ agent_id: string; seq: number }>(
    `SELECT DISTINCT agent_id, seq FROM inventory_history
     WHERE client_id = {clientId:String} ${q.agentId !== undefined ? "AND agent_id = {agentId:String}" : ""}
       AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts <= fromUnixTimestamp64Milli({to:Int64})
       AND (agent_id, seq) GLOBAL NOT IN (SELECT agent_id, seq FROM inventory_diffs WHERE client_id = {clientId:String})
     ORDER BY agent_id, seq`,
    { clientId: q.clientId, agentId: q.agentId ?? "", from: q.fromMs, to: q.toMs },
  );
}

/** One change event as stored. */
export interface InventoryChangeRow {
  agent_id: string;
  site_id: string;
  hostname: string;
  seq: number;
  prev_seq: number;
  ts: number;
  prev_ts: number;
  category: string;
  change: string;
  item: string;
  before: string;
  after: string;
}

/** Stores the changes found in document `seq` of a host, then marks it compared (in that order). */
export async function saveChanges(
  store: Store,
  mark: { client_id: string; site_id: string; agent_id: string; seq: number; prev_seq: number; ts: number; prev_ts: number },
  changes: Array<{ category: string; change: string; item: string; before: string; after: string }>,
): Promise<void> {
  if (changes.length > 0) await store.insert("inventory_changes", changes.map((c) => ({ ...mark, ...c })));
  await store.insert("inventory_diffs", [{ client_id: mark.client_id, agent_id: mark.agent_id, seq: mark.seq, prev_seq: mark.prev_seq, ts: mark.ts, changes: changes.length, computed_at: Date.now() }]);
}

/** Changes of a client's hosts (one host, optionally; one category, optionally) in a period, newest first. */
export async function readChanges(store: Store, q: { clientId: string; agentId?: string; category?: string; fromMs: number; toMs: number; limit: number }): Promise<InventoryChangeRow[]> {
  return store.query<InventoryChangeRow>(
    `SELECT c.agent_id AS agent_id, c.site_id AS site_id, ifNull(a.hostname, '') AS hostname, c.seq AS seq, c.prev_seq AS prev_seq,
            toUnixTimestamp64Milli(c.ts) AS ts, toUnixTimestamp64Milli(c.prev_ts) AS prev_ts, c.category AS category, c.change AS change,
            c.item AS item, c.before AS before, c.after AS after
     FROM (
       SELECT * FROM inventory_changes FINAL
       WHERE client_id = {clientId:String} ${q.agentId !== undefined ? "AND agent_id = {agentId:String}" : ""}
         ${q.category !== undefined ? "AND category = {category:String}" : ""}
         AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts <= fromUnixTimestamp64Milli({to:Int64})
     ) AS c
     GLOBAL LEFT JOIN (SELECT id, hostname FROM agents FINAL WHERE client_id = {clientId:String}) AS a ON a.id = c.agent_id
     ORDER BY c.ts DESC, c.agent_id, c.category, c.change, c.item
     LIMIT {limit:UInt32}`,
    { clientId: q.clientId, agentId: q.agentId ?? "", category: q.category ?? "", from: q.fromMs, to: q.toMs, limit: q.limit },
  );
}

/** What the lifecycle report needs of each host's newest inventory, without parsing whole documents. */
export interface LifecycleInventoryRow {
  agent_id: string;
  site_id: string;
  hostname: string;
  ts: number;
  os_platform: string;
  os_distro: string;
  os_release: string;
  os_build: string;
  os_id: string;
  os_version_id: string;
  manufacturer: string;
  model: string;
  serial: string;
  virtual: number;
  bios_date: string;
  disks: string;
}

/** The newest inventory of every host of a client, with its disks as JSON. */
export async function lifecycleInventory(store: Store, clientId: string): Promise<LifecycleInventoryRow[]> {
  return store.query<LifecycleInventoryRow>(
    `SELECT agent_id, site_id, hostname, toUnixTimestamp64Milli(ts) AS ts, os_platform, os_distro, os_release, os_build, os_id, os_version_id,
            manufacturer, model, serial, virtual, bios_date, JSONExtractRaw(document, 'disks') AS disks
     FROM inventory_latest FINAL WHERE client_id = {clientId:String} ORDER BY hostname, agent_id`,
    { clientId },
  );
}

/** When the collector first received an inventory from each host of a client (epoch ms). */
export async function inventoryFirstSeen(store: Store, clientId: string): Promise<Map<string, number>> {
  const rows = await store.query<{ agent_id: string; first: number }>(
    `SELECT agent_id, toUnixTimestamp64Milli(min(ts)) AS first FROM inventory_history WHERE client_id = {clientId:String} GROUP BY agent_id`,
    { clientId },
  );
  return new Map(rows.map((r) => [r.agent_id, Number(r.first)]));
}

/** One point of a filesystem metric series: a host, the filesystem's labels, a time and the average value. */
export interface FsPointRow {
  agent_id: string;
  labels: string;
  name: string;
  t: number;
  v: number;
}

/**
 * Filesystem usage of a client's hosts since `fromMs`, averaged per row of a rollup table
 * (`metrics_1h` or `metrics_1m`): fs.used_bytes, fs.size_bytes and fs.used_pct, by host, filesystem and time.
 */
export async function filesystemUsage(store: Store, clientId: string, table: "metrics_1h" | "metrics_1m", fromMs: number): Promise<FsPointRow[]> {
  const source = table === "metrics_1h" ? "metrics_1h" : "metrics_1m";
  return store.query<FsPointRow>(
    `SELECT agent_id, labels, name, toUnixTimestamp(ts) * 1000 AS t, sum(sum_value) / sum(count) AS v
     FROM ${source}
     WHERE client_id = {clientId:String} AND name IN ('fs.used_bytes', 'fs.size_bytes', 'fs.used_pct')
       AND ts >= toDateTime(intDiv({from:Int64}, 1000), 'UTC')
     GROUP BY agent_id, labels, name, t HAVING sum(count) > 0
     ORDER BY agent_id, labels, name, t`,
    { clientId, from: fromMs },
  );
}
