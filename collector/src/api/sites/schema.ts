import { z } from "@hono/zod-openapi";
import type { SiteRow } from "../../store/queries/sites.js";
import { iso, Timestamp } from "../schema.js";

export const SiteSchema = z
  .object({
    id: z.string().openapi({ example: "Qm9aXc2LpR7tHw1e" }),
    clientId: z.string().openapi({ example: "k3JxA9bq2xPwLm0T" }),
    name: z.string().openapi({ example: "Head office" }),
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

export const SiteListQuery = z.object({
  clientId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "clientId", in: "query" }, description: "Only this client's sites" }),
});

export const SiteListSchema = z.object({ items: z.array(SiteSchema) }).openapi("SiteList");

/** The API view of a stored site. */
export function siteFromRow(row: Omit<SiteRow, "updated_at">): Site {
  return { id: row.id, clientId: row.client_id, name: row.name, createdAt: iso(row.created_at) };
}
