import type { Store } from "../clickhouse.js";

/** One attempt to email a scheduled report. */
export interface ReportDelivery {
  at: number;
  clientId: string;
  /** "monthly" or "quarterly". */
  cadence: string;
  periodFrom: number;
  periodTo: number;
  recipients: string[];
  status: "sent" | "failed";
  /** Why it failed; empty when sent. */
  error: string;
}

// The error text lands in a table people read; a relay can answer with a whole HTML page.
const MAX_ERROR_CHARS = 2000;

/** Appends an attempt to the delivery log. */
export async function recordDelivery(store: Store, delivery: ReportDelivery): Promise<void> {
  await store.insert("report_deliveries", [
    {
      at: delivery.at,
      client_id: delivery.clientId,
      cadence: delivery.cadence,
      period_from: delivery.periodFrom,
      period_to: delivery.periodTo,
      recipients: delivery.recipients,
      status: delivery.status,
      error: delivery.error.slice(0, MAX_ERROR_CHARS),
    },
  ]);
}

/** How many attempts for one client, cadence and period start were sent and how many failed. */
export async function deliveryAttempts(store: Store, key: { clientId: string; cadence: string; periodFrom: number }): Promise<{ sent: number; failed: number }> {
  const rows = await store.query<{ sent: number; failed: number }>(
    `SELECT countIf(status = 'sent') AS sent, countIf(status = 'failed') AS failed
     FROM report_deliveries
     WHERE client_id = {c:String} AND cadence = {cadence:String} AND period_from = fromUnixTimestamp64Milli({from:Int64}, 'UTC')`,
    { c: key.clientId, cadence: key.cadence, from: key.periodFrom },
  );
  return { sent: Number(rows[0]?.sent ?? 0), failed: Number(rows[0]?.failed ?? 0) };
}

/** The delivery attempts of a client, newest first. */
export async function listDeliveries(store: Store, filter: { clientId: string; limit?: number }): Promise<ReportDelivery[]> {
  const rows = await store.query<{ at: number; client_id: string; cadence: string; period_from: number; period_to: number; recipients: string[]; status: string; error: string }>(
    `SELECT toUnixTimestamp64Milli(at) AS at, client_id, cadence, toUnixTimestamp64Milli(period_from) AS period_from,
       toUnixTimestamp64Milli(period_to) AS period_to, recipients, status, error
     FROM report_deliveries WHERE client_id = {c:String} ORDER BY at DESC LIMIT {limit:UInt32}`,
    { c: filter.clientId, limit: filter.limit ?? 100 },
  );
  return rows.map((r) => ({
    at: Number(r.at),
    clientId: r.client_id,
    cadence: r.cadence,
    periodFrom: Number(r.period_from),
    periodTo: Number(r.period_to),
    recipients: r.recipients,
    status: r.status === "sent" ? "sent" : "failed",
    error: r.error,
  }));
}
