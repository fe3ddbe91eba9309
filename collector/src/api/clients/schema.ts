import { z } from "@hono/zod-openapi";
import type { ClientRow } from "../../store/queries/clients.js";
import { iso, Timestamp } from "../schema.js";

/** True for an IANA time zone name that this runtime knows (checked with Intl.DateTimeFormat). */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a valid time zone ("europe/paris" → "Europe/Paris"). */
export function canonicalTimeZone(tz: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone;
}

const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export const ClientSchema = z
  .object({
    id: z.string().openapi({ example: "k3JxA9bq2xPwLm0T" }),
    name: z.string().openapi({ example: "Acme Dental" }),
    timezone: z.string().openapi({ example: "Europe/Berlin", description: "IANA time zone of reports and business hours" }),
    currency: z.string().openapi({ example: "EUR", description: "ISO 4217 code of downtime cost" }),
    createdAt: Timestamp,
  })
  .openapi("Client");
export type Client = z.infer<typeof ClientSchema>;

export const CreateClientSchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "Acme Dental" }),
    timezone: z
      .string()
      .max(100)
      .refine(isTimeZone, "not a valid IANA time zone")
      .optional()
      .openapi({ example: "Europe/Berlin", description: 'IANA time zone; default "UTC"' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: "must be an ISO 4217 code of 3 uppercase letters", abort: true })
      .refine((c) => CURRENCIES.has(c), "not an ISO 4217 currency code")
      .optional()
      .openapi({ example: "EUR", description: 'ISO 4217 currency code; default "EUR"' }),
  })
  .openapi("CreateClient");

export const ClientListSchema = z.object({ items: z.array(ClientSchema) }).openapi("ClientList");

/** The API view of a stored client. */
export function clientFromRow(row: Omit<ClientRow, "updated_at">): Client {
  return { id: row.id, name: row.name, timezone: row.timezone, currency: row.currency, createdAt: iso(row.created_at) };
}
