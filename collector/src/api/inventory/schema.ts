import { z } from "@hono/zod-openapi";
import { Timestamp } from "../schema.js";

const Id = (name: string, description: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: "query" }, description });

/** A host's newest inventory: when it was collected, what it weighed, and the document itself. */
export const HostInventorySchema = z
  .object({
    hostId: z.string(),
    clientId: z.string(),
    siteId: z.string(),
    collectedAt: Timestamp.openapi({ description: "When the agent collected it (clock skew corrected)" }),
    receivedAt: Timestamp,
    hash: z.string().openapi({ description: "The agent's SHA-256 of the document's content" }),
    sizeBytes: z.number().int().openapi({ description: "Uncompressed JSON size", example: 85780 }),
    compressedBytes: z.number().int().openapi({ description: "Gzipped size as sent", example: 10673 }),
    parts: z.number().int(),
    inventory: z.record(z.string(), z.unknown()).openapi({
      description: "The inventory document: system, bios, baseboard, cpu, memory, disks, filesystems, network, os, software, services, users (see the protocol README)",
    }),
  })
  .openapi("HostInventory");

export const SearchQuery = z.object({
  clientId: Id("clientId", "Only this client's hosts").optional(),
  siteId: Id("siteId", "Only this site's hosts").optional(),
  software: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .openapi({ param: { name: "software", in: "query" }, description: "Installed software by name, case-insensitive; * matches anything", example: "openssl" }),
  versionBelow: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: "versionBelow", in: "query" }, description: "With software: only hosts where a version is below this (dpkg ordering)", example: "3.0.13" }),
  os: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: "os", in: "query" }, description: "A phrase the OS name and release contain, case-insensitive (\"Windows 10\", \"Ubuntu 22.04\", \"Debian 12\")", example: "Windows 10" }),
  memoryBelowBytes: z.coerce
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .openapi({ param: { name: "memoryBelowBytes", in: "query" }, description: "Only hosts with less memory than this", example: 8589934592 }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(1000)
    .openapi({ param: { name: "limit", in: "query" }, description: "Most hosts returned (default 1000)" }),
});

export const SearchHitSchema = z
  .object({
    hostId: z.string(),
    hostname: z.string(),
    clientId: z.string(),
    siteId: z.string(),
    collectedAt: Timestamp,
    os: z.object({ platform: z.string(), distro: z.string(), release: z.string(), build: z.string() }),
    memoryBytes: z.number(),
    cpu: z.string(),
    manufacturer: z.string(),
    model: z.string(),
    software: z
      .array(z.object({ name: z.string(), version: z.string() }))
      .openapi({ description: "With software: the matching packages (below versionBelow, when given)" }),
  })
  .openapi("InventorySearchHit");

export const SearchResultSchema = z.object({ items: z.array(SearchHitSchema) }).openapi("InventorySearchResult");

export const ChangeCategorySchema = z.enum(["hardware", "memory", "disk", "filesystem", "network", "os", "software", "service"]);

export const ChangesQuery = z.object({
  clientId: Id("clientId", "The client whose hosts' changes to list"),
  hostId: Id("hostId", "Only this host").optional(),
  category: ChangeCategorySchema.optional().openapi({ param: { name: "category", in: "query" } }),
  from: z
    .string()
    .max(40)
    .optional()
    .openapi({ param: { name: "from", in: "query" }, description: "ISO 8601 or epoch ms; default to − 30 days" }),
  to: z
    .string()
    .max(40)
    .optional()
    .openapi({ param: { name: "to", in: "query" }, description: "ISO 8601 or epoch ms; default now" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(50_000)
    .default(5000)
    .openapi({ param: { name: "limit", in: "query" }, description: "Most changes returned (default 5000)" }),
});

export const ChangeSchema = z
  .object({
    hostId: z.string(),
    hostname: z.string(),
    siteId: z.string(),
    at: Timestamp.openapi({ description: "Collection time of the first inventory that showed the change" }),
    previousAt: Timestamp.openapi({ description: "Collection time of the inventory before it: the change happened in between" }),
    category: ChangeCategorySchema,
    change: z.enum(["added", "removed", "changed", "installed", "upgraded", "downgraded", "state_changed", "start_mode_changed"]),
    item: z.string().openapi({ example: "openssl" }),
    before: z.string().openapi({ example: "3.0.11-1~deb12u2" }),
    after: z.string().openapi({ example: "3.0.15-1~deb12u1" }),
  })
  .openapi("InventoryChange");

export const ChangesResultSchema = z
  .object({
    from: Timestamp,
    to: Timestamp,
    items: z.array(ChangeSchema),
  })
  .openapi("InventoryChanges");
