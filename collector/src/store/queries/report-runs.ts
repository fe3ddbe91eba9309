import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/** What a frozen report was asked for (instants as ISO 8601). */
export interface ReportRunParams {
  clientId: string;
  from: string;
  to: string;
  siteId?: string;
  hostId?: string;
  hours: "business" | "all";
}

/** A frozen report: what was asked, and the report exactly as it was generated. */
export interface ReportRunRow {
  id: string;
  clientId: string;
  kind: "sla";
  label: string;
  params: ReportRunParams;
  report: unknown;
  createdAt: number;
  createdBy: string;
}

interface Row {
  id: string;
  client_id: string;
  kind: string;
  label: string;
  params: string;
  report: string;
  created_at: number;
  created_by: string;
}

function fromRow(r: Row): ReportRunRow {
  return {
    id: r.id,
    clientId: r.client_id,
    kind: "sla",
    label: r.label,
    params: JSON.parse(r.params) as ReportRunParams,
    report: r.report ? JSON.parse(r.report) : null,
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
  };
}

/** Stores a frozen report. */
export async function saveReportRun(store: Store, run: ReportRunRow): Promise<void> {
  await store.insert("report_runs", [
    {
      id: run.id,
      client_id: run.clientId,
      kind: run.kind,
      label: run.label,
      params: JSON.stringify(run.params),
      report: JSON.stringify(run.report),
      created_at: run.createdAt,
      created_by: run.createdBy,
      deleted: 0,
      version: nextVersion(),
    },
  ]);
}

/** The frozen report with this id, or null. */
export async function findReportRun(store: Store, id: string): Promise<ReportRunRow | null> {
  const rows = await store.query<Row>(
    `SELECT id, client_id, kind, label, params, report, toUnixTimestamp64Milli(created_at) AS created_at, created_by
     FROM report_runs FINAL WHERE id = {id:String} AND deleted = 0`,
    { id },
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

/** A client's frozen reports, newest first, without their bodies (report is null). */
export async function listReportRuns(store: Store, clientId: string): Promise<ReportRunRow[]> {
  const rows = await store.query<Row>(
    `SELECT id, client_id, kind, label, params, '' AS report, toUnixTimestamp64Milli(created_at) AS created_at, created_by
     FROM report_runs FINAL WHERE client_id = {c:String} AND deleted = 0 ORDER BY created_at DESC, id`,
    { c: clientId },
  );
  return rows.map(fromRow);
}
