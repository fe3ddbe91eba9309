import type { Context } from "hono";
import { slaReportCsv } from "../../reports/sla/csv.js";
import { renderSlaPdf } from "../../reports/sla/pdf.js";
import type { SlaReport } from "../../reports/sla/report.js";

/** A file name fragment from free text: letters, digits, dot, dash. */
export function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "report";
}

/** Answers an SLA report as JSON, CSV or PDF (as a download named after the client and period). */
export async function sendSlaReport(c: Context, report: SlaReport, format: "json" | "csv" | "pdf"): Promise<Response> {
  if (format === "json") return c.json(report, 200);
  const name = `sla-${fileSafe(report.scope.clientName)}-${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}`;
  if (format === "csv") {
    return c.body(slaReportCsv(report), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.csv"` });
  }
  const pdf = await renderSlaPdf(report);
  return c.body(new Uint8Array(pdf), 200, { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${name}.pdf"` });
}
