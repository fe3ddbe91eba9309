import type { Context } from "hono";
import { slaReportCsv } from "../../reports/sla/csv.js";
import { renderSlaPdf } from "../../reports/sla/pdf.js";
import type { SlaReport } from "../../reports/sla/report.js";

/** A file name fragment from free text: letters, digits, dot, dash. */
export function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "report";
}

/**
 * A download's Content-Disposition: an ASCII `filename` every browser reads, and an RFC 6266 `filename*` that
 * keeps letters beyond ASCII ("Zahnärzte Müller" rather than "Zahn-rzte-M-ller") where the browser can.
 */
export function attachment(ascii: string, unicode: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(unicode)}`;
}

/** A file name fragment from free text keeping any letter or digit: the `filename*` form of {@link fileSafe}. */
function fileSafeUnicode(text: string): string {
  const safe = text.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^-+|-+$/g, "");
  // Cut by code point, so a letter outside the BMP is never split in half.
  return Array.from(safe).slice(0, 60).join("") || "report";
}

/** Answers an SLA report as JSON, CSV or PDF (as a download named after the client and period). */
export async function sendSlaReport(c: Context, report: SlaReport, format: "json" | "csv" | "pdf"): Promise<Response> {
  if (format === "json") return c.json(report, 200);
  const dates = `${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}`;
  const ascii = `sla-${fileSafe(report.scope.clientName)}-${dates}.${format}`;
  const unicode = `sla-${fileSafeUnicode(report.scope.clientName)}-${dates}.${format}`;
  if (format === "csv") {
    return c.body(slaReportCsv(report), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": attachment(ascii, unicode) });
  }
  const pdf = await renderSlaPdf(report);
  return c.body(new Uint8Array(pdf), 200, { "Content-Type": "application/pdf", "Content-Disposition": attachment(ascii, unicode) });
}
