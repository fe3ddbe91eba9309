import { z } from "@hono/zod-openapi";
import { WEEKDAYS, type Weekday } from "../../availability/civil-time.js";
import type { CostModel } from "../../availability/cost.js";
import type { ClientRow } from "../../store/queries/clients.js";
import type { ClientPolicy } from "../../store/queries/policies.js";
import { iso, Timestamp } from "../schema.js";
import type { EffectivePolicy } from "../../evidence/client-policy.js";

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

const ClientName = z.string().trim().min(1).max(200).openapi({ example: "Acme Dental" });
const TimeZoneName = z.string().max(100).refine(isTimeZone, "not a valid IANA time zone");
const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: "must be an ISO 4217 code of 3 uppercase letters", abort: true })
  .refine((c) => CURRENCIES.has(c), "not an ISO 4217 currency code");

export const CreateClientSchema = z
  .object({
    name: ClientName,
    timezone: TimeZoneName.optional().openapi({ example: "Europe/Berlin", description: 'IANA time zone; default "UTC"' }),
    currency: CurrencyCode.optional().openapi({ example: "EUR", description: 'ISO 4217 currency code; default "EUR"' }),
  })
  .openapi("CreateClient");

export const ClientListSchema = z.object({ items: z.array(ClientSchema) }).openapi("ClientList");

/** The API view of a stored client. */
export function clientFromRow(row: Omit<ClientRow, "updated_at">): Client {
  return { id: row.id, name: row.name, timezone: row.timezone, currency: row.currency, createdAt: iso(row.created_at) };
}

// Policy: shapes here, rules (times, overlaps, ranges, zones) in the availability core, checked by policy.ts.

const TimeWindowSchema = z
  .object({
    start: z.string().max(5).openapi({ example: "09:00", description: "Local time HH:MM" }),
    end: z.string().max(5).openapi({ example: "17:00", description: "Local time HH:MM (24:00 allowed); before start = crosses midnight" }),
  })
  .strict()
  .openapi("TimeWindow");

const WeeklySchema = z
  .object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(TimeWindowSchema).max(24).optional()])) as Record<Weekday, z.ZodOptional<z.ZodArray<typeof TimeWindowSchema>>>)
  .strict()
  .openapi({ description: "Windows per weekday (mon…sun); a day left out has no business hours", example: { mon: [{ start: "09:00", end: "17:00" }] } });

export const BusinessCalendarSchema = z
  .object({
    weekly: WeeklySchema,
    holidays: z
      .array(z.string().max(10))
      .max(1000)
      .optional()
      .openapi({ description: "Local dates YYYY-MM-DD without business hours", example: ["2026-12-25"] }),
  })
  .strict()
  .openapi("BusinessCalendar", { description: "Business hours in the client's time zone" });

const BusinessHoursSchema = z.union([z.literal("24x7"), BusinessCalendarSchema], { error: 'must be "24x7" or a calendar {weekly, holidays?}' }).openapi({
  description: 'Business hours: weekly windows and holidays in the client\'s time zone, or "24x7" (every hour counts)',
});

const amount = (description: string) => z.number().optional().openapi({ description });
const share = (description: string) => z.number().optional().openapi({ description: `${description}; a share from 0 to 1` });

/** The cost model as configured for a client: the core's CostModelInput without currency (the client's). */
export const CostModelInputSchema = z
  .object({
    annualRevenue: amount("Annual revenue, in the client's currency"),
    operatingHoursPerYear: amount("Hours a year the business operates (0 < h ≤ 8784); default the calendar's nominal hours"),
    itDependenceShare: share("Share of revenue that stops when IT stops"),
    employees: amount("Employees affected by an outage"),
    loadedHourlyCost: amount("Cost of one employee-hour with overheads"),
    productivityLossShare: share("Share of productivity lost while IT is down"),
    recoveryCostPerIncident: amount("Recovery cost per incident"),
    slaPenaltyPerHour: amount("Contractual penalty per hour down"),
    intangiblesShare: share("Added on top for reputation, churn and the like"),
    offHoursFactor: share("Weight of downtime outside business hours (0 = free, 1 = as costly)"),
    currency: z
      .unknown()
      .refine((v) => v === undefined, { error: "not settable: downtime cost is in the client's currency (PATCH currency on the client)" })
      .optional()
      .openapi({ description: "Not accepted: the cost model's currency is the client's" }),
  } satisfies Record<keyof CostModel, z.ZodType>)
  .strict()
  .openapi("CostModelInput");

const ReportScheduleSchema = z
  .object({
    monthly: z.boolean().optional().openapi({ description: "Email the monthly SLA report" }),
    quarterly: z.boolean().optional().openapi({ description: "Email the quarterly (QBR) SLA report" }),
  })
  .strict()
  .openapi("ReportSchedule");

const SloPct = z.number().openapi({ example: 99.9, description: "SLA target in percent, 0–100, at most 4 decimals" });
const Recipients = z.array(z.email().max(254)).max(20).openapi({ example: ["it@acme.example"], description: "Who receives the scheduled reports (at most 20)" });

/** A client's stored policy: only the fields that were set (the others take defaults, see `effective`). */
export const ClientPolicySchema = z
  .object({
    sloPct: SloPct.optional(),
    businessCalendar: BusinessHoursSchema.optional(),
    costModel: CostModelInputSchema.optional(),
    reportRecipients: Recipients.optional(),
    reportSchedule: ReportScheduleSchema.optional(),
  })
  .openapi("ClientPolicy");

/** Body of `PATCH /clients/{id}`: any field; null removes a policy field (it takes its default again). */
export const PatchClientSchema = z
  .object({
    name: ClientName.optional(),
    timezone: TimeZoneName.optional().openapi({ example: "Europe/Berlin", description: "IANA time zone of reports and business hours" }),
    currency: CurrencyCode.optional().openapi({ example: "EUR", description: "ISO 4217 code of downtime cost" }),
    sloPct: SloPct.nullable().optional(),
    businessCalendar: BusinessHoursSchema.nullable().optional(),
    costModel: CostModelInputSchema.nullable().optional(),
    reportRecipients: Recipients.nullable().optional(),
    reportSchedule: ReportScheduleSchema.nullable().optional(),
  })
  .strict()
  .openapi("PatchClient");
export type PatchClient = z.infer<typeof PatchClientSchema>;

const num = z.number();

/** The values reports use: the stored policy with defaults filled in, and which fields took a default. */
export const EffectivePolicySchema = z
  .object({
    sloPct: SloPct,
    businessCalendar: z.union([
      z.literal("24x7"),
      z.object({ timezone: z.string(), weekly: WeeklySchema, holidays: z.array(z.string()) }),
    ]),
    costModel: z
      .object({
        currency: z.string(),
        annualRevenue: num,
        operatingHoursPerYear: num,
        itDependenceShare: num,
        employees: num,
        loadedHourlyCost: num,
        productivityLossShare: num,
        recoveryCostPerIncident: num,
        slaPenaltyPerHour: num,
        intangiblesShare: num,
        offHoursFactor: num,
      } satisfies Record<keyof CostModel, z.ZodType>)
      .openapi("CostModel"),
    reportRecipients: z.array(z.string()),
    reportSchedule: z.object({ monthly: z.boolean(), quarterly: z.boolean() }),
    defaults: z
      .array(z.string())
      .openapi({ description: "Settings that take a default: sloPct, businessCalendar, costModel.<field>", example: ["sloPct", "costModel.annualRevenue"] }),
  })
  .openapi("EffectivePolicy");

/** A client with its policy as stored and as reports apply it. */
export const ClientDetailSchema = ClientSchema.extend({ policy: ClientPolicySchema, effective: EffectivePolicySchema }).openapi("ClientDetail");
export type ClientDetail = z.infer<typeof ClientDetailSchema>;

/** The API view of a client with its stored and effective policy. */
export function clientDetail(row: Omit<ClientRow, "updated_at">, policy: ClientPolicy, effective: EffectivePolicy): ClientDetail {
  return { ...clientFromRow(row), policy: policy as ClientDetail["policy"], effective };
}
