import { z } from "@hono/zod-openapi";
import type { SiteRow } from "../../store/queries/sites.js";
import { iso, Timestamp } from "../schema.js";

export const SiteSchema = z
  .object({
    id: z.string().openapi({ example: "Qm9aXc2LpR7tHw1e" }),
    clientId: z.string().openapi({ example: "k3JxA9bq2xPwLm0T" }),
    name: z.string().openapi({ example: "Head office" }),
    timezone: z
      .string()
      .nullable()
      .openapi({ example: "America/New_York", description: "IANA time zone of the site when it differs from its client's; null: the client's" }),
    createdAt: Timestamp,
  })
  .openapi("Site");
export type Site = z.infer<typeof SiteSchema>;

export const CreateSiteSchema = z
  .object({
    clientId: z.string().min(1).max(64).openapi({ example: "k3JxA9bq2xPwLm0T" }),
    name: z.string().trim().min(1).max(200).openapi({ example: "Head office" }),
  })
  .openapi("CreateSite");

/** Body of `PATCH /sites/{id}`. */
export const PatchSiteSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional().openapi({ example: "Head office" }),
    timezone: z
      .string()
      .max(100)
      .nullable()
      .optional()
      .openapi({ example: "America/New_York", description: "IANA time zone overriding the client's for this site; null clears the override" }),
  })
  .strict()
  .openapi("PatchSite");

export const SiteListQuery = z.object({
  clientId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "clientId", in: "query" }, description: "Only this client's sites" }),
});

export const SiteListSchema = z.object({ items: z.array(SiteSchema) }).openapi("SiteList");

/** The API view of a stored site and its time-zone override (null: none). */
export function siteFromRow(row: Omit<SiteRow, "updated_at">, timezone: string | null): Site {
  return { id: row.id, clientId: row.client_id, name: row.name, timezone, createdAt: iso(row.created_at) };
}
