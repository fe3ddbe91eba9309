import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CollectorConfig } from "./config.js";

/** Options of `vigil report sla|fleet`, as parsed from the command line. */
export interface ReportCliOptions {
  client?: string;
  from?: string;
  to?: string;
  site?: string;
  host?: string;
  hours?: string;
  format?: string;
  out?: string;
  url?: string;
}

/** A report request the command line got wrong: the message says which option. */
export class ReportCliError extends Error {
  readonly retryable = false;
}

/**
 * Fetches a report from the running collector's API (the embedded store belongs to the collector process,
 * so the CLI never opens it) and writes it to --out, or to stdout for JSON and CSV. Returns the exit code.
 */
export async function reportCommand(kind: string | undefined, o: ReportCliOptions, config: CollectorConfig): Promise<number> {
  if (kind !== "sla" && kind !== "fleet") throw new ReportCliError('report needs a kind: "vigil report sla --client ID ..." or "vigil report fleet ..."');
  if (kind === "sla" && !o.client) throw new ReportCliError("report sla needs --client ID");
  if (!o.from || !o.to) throw new ReportCliError("report needs --from and --to (ISO 8601, e.g. 2026-04-01T00:00:00+02:00)");
  const format = o.format ?? "json";
  if (!["json", "csv", "pdf"].includes(format) || (kind === "fleet" && format === "pdf")) throw new ReportCliError(`--format must be json, csv${kind === "sla" ? " or pdf" : ""}`);
  if (format === "pdf" && !o.out) throw new ReportCliError("a PDF needs --out FILE");
  const query = new URLSearchParams({ from: o.from, to: o.to, format });
  if (o.client) query.set("clientId", o.client);
  if (o.site) query.set("siteId", o.site);
  if (o.host) query.set("hostId", o.host);
  if (o.hours) query.set("hours", o.hours);
  const base = (o.url ?? config.publicUrl).replace(/\/+$/, "");
  const url = `${base}/api/v1/reports/${kind}?${query}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${adminToken(config)}` }, signal: AbortSignal.timeout(120_000) });
  } catch (err) {
    throw Object.assign(new Error(`cannot reach the collector at ${base} (${(err as Error).message}); is "vigil serve" running? (--url to point elsewhere)`), { retryable: true });
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw Object.assign(new Error(`the collector refused the report (${res.status}): ${body?.error?.message ?? res.statusText}`), { retryable: res.status >= 500 });
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  if (o.out) {
    writeFileSync(o.out, bytes);
    console.error(`report written: ${o.out} (${bytes.length} bytes)`);
  } else {
    process.stdout.write(bytes);
  }
  return 0;
}

function adminToken(config: CollectorConfig): string {
  if (config.adminToken) return config.adminToken;
  const file = path.join(config.dataDir, "admin-token");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  throw new ReportCliError(`no admin token: set VIGIL_ADMIN_TOKEN or run where ${file} exists (VIGIL_DATA_DIR)`);
}
