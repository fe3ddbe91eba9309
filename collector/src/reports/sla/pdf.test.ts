import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderSlaPdf } from "./pdf.js";
import type { SlaReport } from "./report.js";
import { FIXTURE_HOSTS, fixtureReport, manyIncidents } from "./testing.js";

// poppler-utils (pdftotext, pdfinfo) reads the PDFs back, as a client's viewer would.
const dir = mkdtempSync(join(tmpdir(), "vigil-sla-pdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
async function render(report: SlaReport): Promise<{ pdf: Buffer; path: string }> {
  const pdf = await renderSlaPdf(report);
  const path = join(dir, `report-${files++}.pdf`);
  writeFileSync(path, pdf);
  return { pdf, path };
}

const text = (path: string) => execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });

function info(path: string): Record<string, string> {
  const out = execFileSync("pdfinfo", ["-isodates", path], { encoding: "utf8" });
  return Object.fromEntries(out.split("\n").flatMap((l) => (/^([^:]+):\s*(.*)$/.exec(l) ? [[RegExp.$1, RegExp.$2]] : [])));
}

interface Word {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

/** Every word with its box, from pdftotext -bbox. */
function words(path: string): Word[] {
  const html = execFileSync("pdftotext", ["-bbox", path, "-"], { encoding: "utf8" });
  const out: Word[] = [];
  let page = 0;
  for (const line of html.split("\n")) {
    if (line.includes("<page ")) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m) out.push({ page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]! });
  }
  return out;
}

/** Nothing outside the margins, and nothing but the footer below the body. */
function expectInsideMargins(all: Word[]): void {
  const A4 = { width: 595.28, height: 841.89 };
  for (const w of all) {
    expect(w.xMin, w.text).toBeGreaterThanOrEqual(49.5);
    expect(w.xMax, w.text).toBeLessThanOrEqual(A4.width - 49.5);
    const body = w.yMax <= A4.height - 64 + 1;
    const footer = w.yMin >= A4.height - 42 && w.yMax <= A4.height - 25;
    expect(body || footer, `${w.text} at y ${w.yMin}–${w.yMax} on page ${w.page}`).toBe(true);
  }
}

const squash = (s: string) => s.replace(/\s+/g, " ");

describe("renderSlaPdf", () => {
  it("shows the client, the period, the figures, an incident and the cost formula", async () => {
    const report = fixtureReport();
    const { path } = await render(report);
    const t = text(path);
    expect(t).toContain("Acme Dental GmbH");
    expect(t).toContain("1–31 May 2026");
    expect(t).toContain("Times in Europe/Berlin");
    expect(t).toContain("99.54%");
    expect(t).toContain("target not met (99.9%)");
    expect(t).toContain("EUR 3,744.40");
    expect(t).toContain("branch-fs.acme.local");
    expect(t).toContain("14 May 14:00");
    expect(t).toContain("Planned");
    expect(t).toContain("Failed RAID controller firmware update");
    // The summary as the report carries it.
    expect(squash(t)).toContain("most of it from the power or network outage at Main Office on 5 May");
    // The formula's lines that fit one line of the page, verbatim (Σ is spelled out for the PDF's fonts).
    const formulaLines = report.cost.formula.split("\n");
    for (const line of formulaLines.filter((l) => /^(revenue|productivity|recovery|total) =/.test(l))) expect(squash(t)).toContain(squash(line));
    expect(t).toContain("(defaults used for: slaPenaltyPerHour, offHoursFactor)");
    expect(squash(t)).toContain("SLA penalty per hour down (costModel.slaPenaltyPerHour): EUR 0.00");
    // The trend against April.
    expect(t).toContain("31 March – 30 April 2026");
    expect(squash(t)).toMatch(/Cost of downtime EUR 6,120\.40 EUR 3,744\.40 -EUR 2,376\.00 \(better\)/);
    expect(squash(t)).toMatch(/Availability 99\.71% 99\.54% -0\.17 pp \(worse\)/);
    expect(t).toMatch(/Page 1 of \d+/);
  });

  it("sets the metadata, with the report's own date, so the same report gives the same bytes", async () => {
    const report = fixtureReport();
    const { pdf, path } = await render(report);
    const i = info(path);
    expect(i.Title).toBe("SLA and downtime cost report: Acme Dental GmbH, 1–31 May 2026");
    expect(i.Author).toBe("Vigil");
    expect(i.CreationDate).toMatch(/^2026-06-01T07:00:00/);
    expect(i["Page size"]).toMatch(/595\.28 x 841\.89/);
    const again = await renderSlaPdf(report);
    expect(again.equals(pdf)).toBe(true);
  });

  it("lays every word out inside the margins", async () => {
    const { path } = await render(fixtureReport());
    expectInsideMargins(words(path));
  });

  it("spreads 300 incidents over several pages, repeating the table header", async () => {
    const { path } = await render(fixtureReport(manyIncidents(300)));
    const pages = Number(info(path).Pages);
    expect(pages).toBeGreaterThan(5);
    const t = text(path);
    expect((t.match(/Incidents \(continued\)/g) ?? []).length).toBeGreaterThanOrEqual(3);
    // The incidents table's header on every page it runs over.
    expect((t.match(/Host +Site +Cause +Start +Duration/g) ?? []).length).toBe((t.match(/Incidents \(continued\)/g) ?? []).length + 1);
    expect(t).toContain(`Page ${pages} of ${pages}`);
    const all = words(path);
    expectInsideMargins(all);
    // Every incident is listed: each row has exactly one start time.
    expect(all.filter((w) => /^\d{2}:\d{2}$/.test(w.text) && w.xMin > 250 && w.xMin < 330).length).toBe(300);
  });

  it("renders a hostile hostname, client and site name without overflowing its column", async () => {
    const hostname = "=cmd|' /C calc'!A0ü🙂Ω\u202Eevil\u0000\n" + "x".repeat(5000);
    const hosts = FIXTURE_HOSTS.map((h) => (h.hostId === "h-fs1" ? { ...h, hostname, siteName: "Zweigstelle Düsseldorf – 東京 " + "y".repeat(300) } : h));
    const report = fixtureReport({ hosts, clientName: "Müller & Söhne 東京 " + "Z".repeat(400), unknownSecondsPerHost: 150 * 3600 });
    const { path } = await render(report);
    const t = text(path);
    expect(t).toContain("=cmd|' /C");
    expect(t).toContain("Müller & Söhne");
    expect(t).toContain("Low coverage");
    expect(t).toContain("…");
    const all = words(path);
    expectInsideMargins(all);
    // The hostname's run of x's is cut inside the host column (the widest host column ends at 160).
    for (const w of all.filter((w) => w.text.includes("xxxx"))) expect(w.xMax).toBeLessThanOrEqual(160.5);
  });

  it("renders a report without incidents, evidence or a previous period", async () => {
    const base = fixtureReport({ incidents: [], previous: false });
    const report: SlaReport = { ...base, availabilityPct: null, met: null, monitoredSeconds: 0, unknownSeconds: base.scheduledSeconds, coveragePct: 0, coverageLow: true, errorBudgetBurnPct: null, defaults: [] };
    const { path } = await render({ ...report, summary: "" });
    const t = text(path);
    expect(t).toContain("No incidents in this period.");
    expect(t).toContain("There is no previous period to compare with.");
    expect(t).toContain("No evidence");
    expect(t).toContain("None: every setting was configured");
    // An empty summary is written from the figures.
    expect(squash(t)).toContain("Monitoring has no evidence for IT");
    expectInsideMargins(words(path));
  });
});
