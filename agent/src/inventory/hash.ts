import { createHash } from "node:crypto";
import type { InventoryDocument } from "@vigil/protocol";

/**
 * The part of an inventory document that describes the machine, without what changes on its own between
 * two collections of an unchanged machine:
 *
 * - `collectedAt` and `agent.collection` (when and at what cost it was collected);
 * - `users` (who is logged in changes all day; they travel with the next document that is sent anyway);
 * - `cpu.speedGHz` (some platforms report the current clock, which follows the load);
 * - IPv6 addresses (privacy addresses rotate daily; a changed IPv6 address rides along with the next change).
 */
export function stableView(doc: InventoryDocument): unknown {
  const { collectedAt: _collectedAt, users: _users, agent, cpu, network, ...rest } = doc;
  const { speedGHz: _speed, ...stableCpu } = cpu;
  return {
    ...rest,
    agent: { version: agent.version },
    cpu: stableCpu,
    network: network.map(({ ipv6: _ipv6, ...n }) => n),
  };
}

/** SHA-256 (hex) of the document's stable content: equal hashes mean nothing worth sending changed. */
export function inventoryHash(doc: InventoryDocument): string {
  return createHash("sha256").update(canonicalJson(stableView(doc))).digest("hex");
}

/** JSON with object keys sorted at every level, so equal content always has one spelling. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
