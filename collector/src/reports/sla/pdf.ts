/**
 * The SLA and downtime-cost report as a client-ready A4 PDF: a cover, the executive summary, the SLA
 * figures, the trend against the previous period, the incidents, the costliest hosts, and the cost
 * formula with its inputs so a CFO can check the figure.
 *
 * Layout is done here, line by line, instead of with pdfkit's flowing text: every cell is wrapped and
 * cut to its column by our own measure, so a hostile hostname can never push a table off the page, and
 * every page break is ours, so table headers repeat and nothing lands in the footer.
 */
import PDFDocument from "pdfkit";
import { executiveSummary } from "./summary.js";
import {
  causeWords,
  displayZone,
  formatAvailability,
  formatCount,
  formatCoverage,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatPct,
  formatPeriod,
  formatSlo,
  localYear,
  plainText,
} from "./format.js";
import type { ReportHost, SlaReport, SlaSummary } from "./report.js";

type Doc = PDFKit.PDFDocument;

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 56, bottom: 64, left: 50, right: 50 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;

const COLOR = {
  text: "#1a1a1a",
  muted: "#5f6b76",
  accent: "#1f4e79",
  rule: "#c9d2db",
  headerFill: "#e8eef4",
  zebra: "#f6f8fa",
  good: "#1b7a3d",
  bad: "#b00020",
  warn: "#9a5b00",
  warnFill: "#fff4e0",
};

const FONT = { regular: "Helvetica", bold: "Helvetica-Bold", mono: "Courier" };

/** How many of the costliest hosts the PDF lists; the CSV has them all. */
const TOP_HOSTS = 10;

/** Renders the report to a PDF; the same report gives the same bytes (the dates come from generatedAt). */
export function renderSlaPdf(report: SlaReport): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    try {
      const generated = new Date(report.generatedAt);
      const date = Number.isFinite(generated.getTime()) ? generated : new Date(0);
      const zone = displayZone(report.period.timezone);
      const doc = new PDFDocument({
        size: "A4",
        margins: MARGIN,
        bufferPages: true,
        autoFirstPage: false,
        displayTitle: true,
        lang: "en",
        info: {
          Title: `SLA and downtime cost report: ${plainText(report.scope.clientName)}, ${formatPeriod(report.period.from, report.period.to, zone)}`,
          Author: "Vigil",
          Creator: "Vigil",
          Producer: "Vigil",
          Subject: `Availability and the cost of downtime, ${scopeWords(report)}`,
          CreationDate: date,
          ModDate: date,
        },
      });
      const chunks: Buffer[] = [];
      doc.on("data", (chunk: Buffer) => chunks.push(chunk));
      doc.on("end", () => resolve(Buffer.concat(chunks)));
      doc.on("error", reject);
      new SlaPdf(doc, report, zone).render();
      doc.end();
    } catch (err) {
      reject(err);
    }
  });
}

// ——— text that Helvetica can show ———

/** WinAnsi beyond Latin-1: what the PDF's standard fonts can show in 0x80–0x9F. */
const WIN_ANSI_EXTRA = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021,
  0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

const SUBSTITUTES: Record<string, string> = {
  "\u03a3": "sum",
  "\u2211": "sum",
  "\u2212": "-",
  "\u2010": "-",
  "\u2011": "-",
  "\u2192": "->",
  "\u2190": "<-",
  "\u2265": ">=",
  "\u2264": "<=",
  "\u2248": "~",
  "\u2009": " ",
  "\u202f": " ",
  "\u2007": " ",
};

function isWinAnsi(cp: number): boolean {
  return (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp);
}

/**
 * Text the standard fonts can draw. They only know WinAnsi, and pdfkit writes any other character as a
 * broken code that garbles the rest of the line, so accents are stripped (é → e where the letter is
 * missing), a few symbols are spelled out (Σ → sum) and anything else becomes "?".
 */
function pdfText(s: string): string {
  let out = "";
  for (const ch of plainText(s)) {
    const cp = ch.codePointAt(0)!;
    if (isWinAnsi(cp)) {
      out += ch;
      continue;
    }
    const sub = SUBSTITUTES[ch];
    if (sub !== undefined) {
      out += sub;
      continue;
    }
    const base = ch.normalize("NFKD").replace(/\p{M}/gu, "");
    out += base.length > 0 && [...base].every((c) => isWinAnsi(c.codePointAt(0)!)) ? base : "?";
  }
  return out;
}

// ——— cells and tables ———

interface Cell {
  text: string;
  color?: string;
  bold?: boolean;
  /** A small triangle before the text: the direction a figure moved. */
  arrow?: "up" | "down";
}

type CellInput = string | Cell;

interface Column {
  header: string;
  width: number;
  align?: "left" | "right";
  /** Lines a cell may wrap to before it is cut with an ellipsis. */
  maxLines?: number;
}

interface TableOptions {
  size?: number;
  /** Shown above the header when the table goes on over a page break. */
  continuedTitle?: string;
  /** The last row is a total: bold, with a rule above. */
  totalRow?: boolean;
}

const PAD_X = 4;
const PAD_Y = 3;
const ARROW_WIDTH = 9;

class SlaPdf {
  private y = MARGIN.top;

  constructor(
    private readonly doc: Doc,
    private readonly report: SlaReport,
    private readonly zone: string,
  ) {}

  render(): void {
    this.cover();
    this.newPage();
    this.summary();
    this.slaTable();
    this.trend();
    this.incidents();
    this.siteIncidents();
    this.topHosts();
    this.costSection();
    this.footers();
  }

  // ——— page mechanics ———

  private newPage(): void {
    this.doc.addPage({ size: "A4", margins: MARGIN });
    this.y = MARGIN.top;
  }

  /** Starts a new page unless `height` still fits on this one; true when it broke. */
  private ensure(height: number): boolean {
    if (this.y + height <= BOTTOM) return false;
    this.newPage();
    return true;
  }

  private width(s: string, font: string, size: number): number {
    return this.doc.font(font).fontSize(size).widthOfString(s);
  }

  /** One line of already-fitted text at (x, y); never wraps and never breaks the page. */
  private line(raw: string, x: number, y: number, font: string, size: number, color = COLOR.text, align: "left" | "right" = "left", width = 0): void {
    // Callers fit text already made safe; made safe again here (it is idempotent) so no path can skip it.
    const s = pdfText(raw);
    if (!s) return;
    this.doc.font(font).fontSize(size).fillColor(color);
    const dx = align === "right" ? Math.max(0, width - this.doc.widthOfString(s)) : 0;
    this.doc.text(s, x + dx, y, { lineBreak: false });
  }

  /** The longest prefix of `s` that fits `width` (at least one character, so wrapping always advances). */
  private fit(s: string, width: number, font: string, size: number, suffix = ""): number {
    let lo = 1;
    let hi = s.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.width(s.slice(0, mid) + suffix, font, size) <= width) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** `s` cut with an ellipsis to fit `width`. */
  private ellipsize(s: string, width: number, font: string, size: number): string {
    if (this.width(s, font, size) <= width) return s;
    const n = this.fit(s, width, font, size, "…");
    return `${s.slice(0, n).trimEnd()}…`;
  }

  /**
   * `s` wrapped to `width` in at most `maxLines` lines, the last one cut with an ellipsis when there is
   * more. Words longer than a line (hostnames) are broken anywhere. Input is capped first: a 100 kB
   * hostname would otherwise be measured in full only to be cut.
   */
  private wrap(raw: string, width: number, font: string, size: number, maxLines: number): string[] {
    const s = pdfText(raw.length > 400 * maxLines ? raw.slice(0, 400 * maxLines) : raw);
    if (!s) return [];
    const lines: string[] = [];
    let current = "";
    const words = s.split(" ");
    for (let w = 0; w < words.length && lines.length <= maxLines; w++) {
      let word = words[w]!;
      const candidate = current ? `${current} ${word}` : word;
      if (this.width(candidate, font, size) <= width) {
        current = candidate;
        continue;
      }
      if (current) lines.push(current);
      while (word && this.width(word, font, size) > width && lines.length <= maxLines) {
        const n = this.fit(word, width, font, size);
        lines.push(word.slice(0, n));
        word = word.slice(n);
      }
      current = word;
    }
    if (current) lines.push(current);
    if (lines.length <= maxLines) return lines;
    const kept = lines.slice(0, maxLines);
    // Force the ellipsis: the cut line may fit as it is, but the reader must see that text is missing.
    const last = kept[maxLines - 1]!;
    kept[maxLines - 1] = this.width(`${last}…`, font, size) <= width ? `${last}…` : this.ellipsize(`${last}…`, width, font, size);
    return kept;
  }

  /** A paragraph that wraps to the content width and breaks pages between lines. */
  private paragraph(s: string, options: { size?: number; font?: string; color?: string; indent?: number; gapAfter?: number } = {}): void {
    const size = options.size ?? 10;
    const font = options.font ?? FONT.regular;
    const indent = options.indent ?? 0;
    const lineHeight = size * 1.35;
    for (const l of this.wrap(s, CONTENT_WIDTH - indent, font, size, 200)) {
      this.ensure(lineHeight);
      this.line(l, MARGIN.left + indent, this.y, font, size, options.color);
      this.y += lineHeight;
    }
    this.y += options.gapAfter ?? 6;
  }

  /** A section heading, kept on a page with at least `keep` points of what follows it. */
  private heading(s: string, keep = 80): void {
    if (this.y > MARGIN.top) this.y += 10;
    this.ensure(26 + keep);
    this.line(this.ellipsize(pdfText(s), CONTENT_WIDTH, FONT.bold, 14), MARGIN.left, this.y, FONT.bold, 14, COLOR.accent);
    this.y += 20;
    this.doc.moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + CONTENT_WIDTH, this.y).lineWidth(0.75).strokeColor(COLOR.accent).stroke();
    this.y += 8;
  }

  private subheading(s: string, keep = 40): void {
    this.y += 4;
    this.ensure(16 + keep);
    this.line(this.ellipsize(pdfText(s), CONTENT_WIDTH, FONT.bold, 11), MARGIN.left, this.y, FONT.bold, 11);
    this.y += 16;
  }

  /** A table that goes on over as many pages as it needs, repeating its header on each. */
  private table(columns: Column[], rows: CellInput[][], options: TableOptions = {}): void {
    const size = options.size ?? 8.5;
    const lineHeight = size * 1.25;
    const layout = (cells: CellInput[], bold: boolean) =>
      columns.map((col, i) => {
        const c: Cell = typeof cells[i] === "string" ? { text: cells[i] as string } : ((cells[i] as Cell | undefined) ?? { text: "" });
        const font = bold || c.bold ? FONT.bold : FONT.regular;
        const room = col.width - 2 * PAD_X - (c.arrow ? ARROW_WIDTH : 0);
        return { cell: c, font, lines: this.wrap(c.text, room, font, size, col.maxLines ?? 1) };
      });
    const heightOf = (laid: { lines: string[] }[]) => Math.max(1, ...laid.map((l) => l.lines.length)) * lineHeight + 2 * PAD_Y;
    // Headers may take two lines; they are our own words, so they are never cut.
    const header = columns.map((col) => ({ cell: { text: col.header } as Cell, font: FONT.bold, lines: this.wrap(col.header, col.width - 2 * PAD_X, FONT.bold, size, 2) }));
    const headerHeight = heightOf(header);

    const drawRow = (laid: ReturnType<typeof layout>, height: number, fill: string | null) => {
      if (fill) this.doc.rect(MARGIN.left, this.y, CONTENT_WIDTH, height).fill(fill);
      let x = MARGIN.left;
      laid.forEach(({ cell, font, lines }, i) => {
        const col = columns[i]!;
        const align = col.align ?? "left";
        let textX = x + PAD_X;
        let room = col.width - 2 * PAD_X;
        if (cell.arrow) {
          this.arrow(cell.arrow, textX, this.y + PAD_Y + lineHeight / 2, cell.color ?? COLOR.text);
          textX += ARROW_WIDTH;
          room -= ARROW_WIDTH;
        }
        lines.forEach((l, n) => this.line(l, textX, this.y + PAD_Y + n * lineHeight + (lineHeight - size) / 2, font, size, cell.color ?? COLOR.text, align, room));
        x += col.width;
      });
      this.y += height;
    };
    const drawHeader = (continued: boolean) => {
      if (continued && options.continuedTitle) {
        this.line(`${pdfText(options.continuedTitle)} (continued)`, MARGIN.left, this.y, FONT.bold, 9, COLOR.muted);
        this.y += 14;
      }
      drawRow(header, headerHeight, COLOR.headerFill);
    };

    const laidRows = rows.map((r, i) => layout(r, options.totalRow === true && i === rows.length - 1));
    // A header alone at the foot of a page says nothing: keep it with the first row.
    this.ensure(headerHeight + (laidRows[0] ? heightOf(laidRows[0]) : 0));
    drawHeader(false);
    laidRows.forEach((laid, i) => {
      const height = heightOf(laid);
      if (this.ensure(height)) drawHeader(true);
      const total = options.totalRow && i === laidRows.length - 1;
      if (total) this.doc.moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + CONTENT_WIDTH, this.y).lineWidth(0.75).strokeColor(COLOR.text).stroke();
      drawRow(laid, height, !total && i % 2 === 1 ? COLOR.zebra : null);
    });
    this.doc.moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + CONTENT_WIDTH, this.y).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
    this.y += 6;
  }

  private arrow(direction: "up" | "down", x: number, cy: number, color: string): void {
    const w = 6;
    const h = 5;
    const points: [number, number][] =
      direction === "up"
        ? [
            [x, cy + h / 2],
            [x + w, cy + h / 2],
            [x + w / 2, cy - h / 2],
          ]
        : [
            [x, cy - h / 2],
            [x + w, cy - h / 2],
            [x + w / 2, cy + h / 2],
          ];
    this.doc.polygon(...points).fill(color);
  }

  /** A boxed note, e.g. the low-coverage warning. */
  private callout(s: string, color: string, fill: string): void {
    const size = 9.5;
    const lines = this.wrap(s, CONTENT_WIDTH - 20, FONT.bold, size, 6);
    const height = lines.length * size * 1.35 + 12;
    this.ensure(height + 6);
    this.doc.rect(MARGIN.left, this.y, CONTENT_WIDTH, height).fill(fill);
    this.doc.rect(MARGIN.left, this.y, 3, height).fill(color);
    lines.forEach((l, i) => this.line(l, MARGIN.left + 12, this.y + 6 + i * size * 1.35, FONT.bold, size, color));
    this.y += height + 8;
  }

  // ——— sections ———

  private cover(): void {
    const r = this.report;
    this.newPage();
    const x = MARGIN.left;
    this.doc.rect(0, 0, PAGE.width, 10).fill(COLOR.accent);
    this.line("VIGIL", x, 40, FONT.bold, 11, COLOR.accent);
    this.line("Availability and downtime cost report", x, 150, FONT.regular, 16, COLOR.muted);
    let y = 178;
    for (const l of this.wrap(r.scope.clientName || r.scope.clientId, CONTENT_WIDTH, FONT.bold, 28, 2)) {
      this.line(l, x, y, FONT.bold, 28);
      y += 34;
    }
    y += 4;
    for (const l of this.wrap(scopeWords(r), CONTENT_WIDTH, FONT.regular, 14, 2)) {
      this.line(l, x, y, FONT.regular, 14);
      y += 19;
    }
    y += 14;
    this.line(this.ellipsize(pdfText(formatPeriod(r.period.from, r.period.to, this.zone)), CONTENT_WIDTH, FONT.bold, 16), x, y, FONT.bold, 16);
    y += 22;
    this.line(this.ellipsize(pdfText(`Times in ${this.zone}`), CONTENT_WIDTH, FONT.regular, 10), x, y, FONT.regular, 10, COLOR.muted);
    y += 15;
    for (const l of this.wrap(hoursWords(r), CONTENT_WIDTH, FONT.regular, 10, 3)) {
      this.line(l, x, y, FONT.regular, 10, COLOR.muted);
      y += 14;
    }

    // The three figures a board asks about first.
    y = Math.max(y + 30, 420);
    const boxWidth = (CONTENT_WIDTH - 2 * 12) / 3;
    const met = r.met === null ? { text: "no evidence", color: COLOR.muted } : r.met ? { text: "target met", color: COLOR.good } : { text: "target not met", color: COLOR.bad };
    const boxes = [
      { label: "Availability", value: formatAvailability(r.availabilityPct, r.sloPct), note: `${met.text} (${formatSlo(r.sloPct)})`, color: met.color },
      { label: "Estimated cost of downtime", value: formatMoney(r.cost.total, r.cost.currency), note: "see how it was calculated", color: COLOR.muted },
      { label: "Incidents", value: formatCount(r.incidentCount), note: `${formatDuration(r.downSeconds)} down`, color: COLOR.muted },
    ];
    boxes.forEach((b, i) => {
      const bx = x + i * (boxWidth + 12);
      this.doc.rect(bx, y, boxWidth, 86).lineWidth(0.75).strokeColor(COLOR.rule).stroke();
      this.line(this.ellipsize(b.label, boxWidth - 16, FONT.regular, 9), bx + 8, y + 10, FONT.regular, 9, COLOR.muted);
      const valueSize = this.width(pdfText(b.value), FONT.bold, 20) <= boxWidth - 16 ? 20 : 14;
      this.line(this.ellipsize(pdfText(b.value), boxWidth - 16, FONT.bold, valueSize), bx + 8, y + 30, FONT.bold, valueSize);
      this.line(this.ellipsize(pdfText(b.note), boxWidth - 16, FONT.regular, 9), bx + 8, y + 62, FONT.regular, 9, b.color);
    });
    if (r.coverageLow && r.availabilityPct !== null) {
      this.line(`Low coverage (${formatCoverage(r.coveragePct)}): the availability rests on little evidence.`, x, y + 98, FONT.bold, 9.5, COLOR.warn);
    }

    this.line(pdfText(`Generated ${formatDateTime(r.generatedAt, this.zone)} (${this.zone}) by Vigil`), x, BOTTOM - 20, FONT.regular, 9, COLOR.muted);
  }

  private summary(): void {
    this.heading("Executive summary", 40);
    const text = this.report.summary.trim() || executiveSummary(this.report);
    this.paragraph(text, { size: 11, gapAfter: 4 });
  }

  private slaTable(): void {
    const r = this.report;
    this.heading("Service level", 120);
    const hosts = r.byHost.length;
    const summed = hosts > 1 ? `, summed over ${formatCount(hosts)} hosts` : "";
    const met: Cell = r.met === null ? { text: "No evidence", color: COLOR.muted, bold: true } : r.met ? { text: "Met", color: COLOR.good, bold: true } : { text: "Not met", color: COLOR.bad, bold: true };
    const burn = r.errorBudgetBurnPct;
    const rows: CellInput[][] = [
      ["Target (SLO)", formatSlo(r.sloPct), `Share of the counted hours IT must be available${r.defaults.includes("sloPct") ? " (assumed default)" : ""}`],
      ["Availability", { text: formatAvailability(r.availabilityPct, r.sloPct), bold: true }, "1 - down time / monitored time"],
      ["Target met", met, r.met === null ? "No monitored time to measure" : ""],
      ["Hours counted", r.hours === "business" ? "Business hours" : "All hours", r.calendar || (r.hours === "all" ? "24x7" : "")],
      ["Scheduled time", hours(r.scheduledSeconds), `The hours the SLA counts${summed}`],
      ["Excluded", hours(r.excludedSeconds), "Maintenance windows and outages left out by agreement"],
      ["Unmonitored", hours(r.unmonitoredSeconds), "Monitoring not running, or hosts not enrolled yet"],
      ["Unknown", hours(r.unknownSeconds), "No evidence either way (agent stopped, samples lost)"],
      ["Monitored", hours(r.monitoredSeconds), "Scheduled - excluded - unmonitored - unknown: the time there is evidence for"],
      ["Down", { text: hours(r.downSeconds), bold: true }, "Counted against the target"],
      ["Degraded", hours(r.degradedSeconds), "A service check failing while the host ran; counts as available"],
      [
        "Coverage",
        r.coverageLow ? { text: formatCoverage(r.coveragePct), color: COLOR.warn, bold: true } : formatCoverage(r.coveragePct),
        r.coverageLow ? { text: "Low: under 95%, the availability rests on little evidence", color: COLOR.warn } : "Monitored share of the hours not excluded",
      ],
      ["Error budget", hours(r.errorBudgetSeconds), "Down time the target allows over the monitored time"],
      ["Budget burned", burn !== null && burn > 100 ? { text: formatPct(burn), color: COLOR.bad, bold: true } : formatPct(burn), burn === null ? "No budget (a 100% target, or no monitored time)" : "Share of the error budget used by down time"],
      ["Incidents", formatCount(r.incidentCount), "Outages counted (a whole-site outage once)"],
      ["MTTR", nullableHours(r.mttrSeconds), r.mttrSeconds === null ? "Mean time to restore: no incidents" : "Mean time to restore"],
      ["MTBF", nullableHours(r.mtbfSeconds), r.mtbfSeconds === null ? "Mean time between failures: no incidents" : "Mean time between failures"],
      ["MTTA", nullableHours(r.mttaSeconds), r.mttaSeconds === null ? "Mean time to acknowledge: none acknowledged" : "Mean time from detection to acknowledgement"],
    ];
    this.table(
      [
        { header: "Measure", width: 110 },
        { header: "Value", width: 105, align: "right" },
        { header: "What it means", width: CONTENT_WIDTH - 215, maxLines: 3 },
      ],
      rows,
      { size: 9, continuedTitle: "Service level" },
    );
    if (r.coverageLow && r.availabilityPct !== null) {
      this.callout(
        `Low coverage: monitoring saw only ${formatCoverage(r.coveragePct)} of the hours it should have. The availability of ${formatAvailability(r.availabilityPct, r.sloPct)} rests on little evidence.`,
        COLOR.warn,
        COLOR.warnFill,
      );
    }
  }

  private trend(): void {
    const r = this.report;
    const prev = r.previousPeriod;
    this.heading("Compared with the previous period", 70);
    if (!prev) {
      this.paragraph("There is no previous period to compare with.", { color: COLOR.muted });
      return;
    }
    const prevZone = displayZone(prev.period.timezone);
    this.paragraph(`Previous period: ${formatPeriod(prev.period.from, prev.period.to, prevZone)}.`, { size: 9, color: COLOR.muted, gapAfter: 2 });
    const currency = r.cost.currency;
    const rows: CellInput[][] = [
      ["Availability", formatAvailability(prev.availabilityPct, prev.sloPct), formatAvailability(r.availabilityPct, r.sloPct), availabilityChange(prev, r)],
      ["Down time", formatDuration(prev.downSeconds), formatDuration(r.downSeconds), change(r.downSeconds - prev.downSeconds, (d) => signed(d, formatDuration(Math.abs(d))), "lower")],
      [
        "Cost of downtime",
        formatMoney(prev.costTotal, currency),
        formatMoney(r.cost.total, currency),
        change(r.cost.total - prev.costTotal, (d) => formatMoney(d, currency, { signed: true }), "lower"),
      ],
      ["Incidents", formatCount(prev.incidentCount), formatCount(r.incidentCount), change(r.incidentCount - prev.incidentCount, (d) => signed(d, formatCount(Math.abs(d))), "lower")],
    ];
    this.table(
      [
        { header: "Measure", width: 110 },
        { header: "Previous period", width: 115, align: "right" },
        { header: "This period", width: 115, align: "right" },
        { header: "Change", width: CONTENT_WIDTH - 340 },
      ],
      rows,
      { size: 9, continuedTitle: "Compared with the previous period" },
    );
  }

  private incidents(): void {
    const r = this.report;
    this.heading("Incidents", 60);
    if (r.incidents.length === 0) {
      this.paragraph("No incidents in this period.", { color: COLOR.muted });
      return;
    }
    this.paragraph(`Times in ${this.zone}. Business time is the part of an incident inside business hours. Costs in ${r.cost.currency}.`, { size: 9, color: COLOR.muted, gapAfter: 2 });
    const sorted = [...r.incidents].sort((a, b) => compare(a.startedAt, b.startedAt) || compare(a.id, b.id));
    // The year is in the period above; leaving it out keeps the start on one line in a narrow column.
    const year = localYear(r.period.from, this.zone);
    const start = (iso: string) => formatDateTime(iso, this.zone, localYear(iso, this.zone) !== year);
    const rows = sorted.map((i): CellInput[] => [
      i.hostname || i.hostId,
      i.siteName || i.siteId,
      causeWords(i.cause) + (i.siteIncidentId ? " (whole site)" : ""),
      start(i.startedAt) + (i.clipped ? " *" : ""),
      formatDuration(i.durationSeconds),
      formatDuration(i.businessSeconds),
      formatMoney(i.cost, r.cost.currency),
      i.excluded ? { text: `Yes: ${i.exclusionReason ?? "no reason given"}`, color: COLOR.muted } : "No",
    ]);
    this.table(
      [
        { header: "Host", width: 86, maxLines: 2 },
        { header: "Site", width: 58, maxLines: 2 },
        { header: "Cause", width: 66, maxLines: 3 },
        { header: "Start", width: 66 },
        { header: "Duration", width: 44, align: "right" },
        { header: "Business time", width: 44, align: "right" },
        { header: "Cost", width: 56, align: "right" },
        { header: "Excluded", width: CONTENT_WIDTH - 420, maxLines: 3 },
      ],
      rows,
      { size: 7.5, continuedTitle: "Incidents" },
    );
    if (r.incidents.some((i) => i.clipped)) {
      this.paragraph("* Began before or ran past the period; only the part inside the period counts.", { size: 8, color: COLOR.muted });
    }
    const notes = sorted.filter((i) => i.note);
    if (notes.length > 0) {
      this.subheading("Root-cause notes", 30);
      for (const i of notes) this.paragraph(`${i.hostname || i.hostId}, ${formatDateTime(i.startedAt, this.zone)}: ${i.note}`, { size: 9, gapAfter: 2 });
    }
  }

  private siteIncidents(): void {
    const r = this.report;
    if (r.siteIncidents.length === 0) return;
    this.subheading("Whole-site outages", 50);
    const sorted = [...r.siteIncidents].sort((a, b) => compare(a.startedAt, b.startedAt) || compare(a.id, b.id));
    this.table(
      [
        { header: "Site", width: 150, maxLines: 2 },
        { header: "Cause", width: 120 },
        { header: "Start", width: 90 },
        { header: "Duration", width: 70, align: "right" },
        { header: "Hosts", width: CONTENT_WIDTH - 430, align: "right" },
      ],
      sorted.map((s) => [s.siteName || s.siteId, causeWords(s.cause), formatDateTime(s.startedAt, this.zone), formatDuration(s.durationSeconds), formatCount(s.hostIds.length)]),
      { size: 8, continuedTitle: "Whole-site outages" },
    );
  }

  private topHosts(): void {
    const r = this.report;
    this.heading("Hosts with the costliest downtime", 60);
    const hit = r.byHost.filter((h) => h.cost > 0 || h.downSeconds > 0);
    if (hit.length === 0) {
      this.paragraph("No host was down in this period.", { color: COLOR.muted });
      return;
    }
    const top = [...hit].sort(byCost).slice(0, TOP_HOSTS);
    const more = r.byHost.length - top.length;
    this.paragraph(`The ${top.length === 1 ? "host" : `${top.length} hosts`} with the highest estimated cost${more > 0 ? `; all ${formatCount(r.byHost.length)} hosts are in the CSV export` : ""}.`, {
      size: 9,
      color: COLOR.muted,
      gapAfter: 2,
    });
    this.table(
      [
        { header: "Host", width: 110, maxLines: 2 },
        { header: "Site", width: 80, maxLines: 2 },
        { header: "Availability", width: 60, align: "right" },
        { header: "Down", width: 55, align: "right" },
        { header: "Unknown", width: 55, align: "right" },
        { header: "Incidents", width: 50, align: "right" },
        { header: "Cost", width: CONTENT_WIDTH - 410, align: "right" },
      ],
      top.map((h) => [
        h.hostname || h.hostId,
        h.siteName || h.siteId,
        formatAvailability(h.availabilityPct, r.sloPct),
        formatDuration(h.downSeconds),
        formatDuration(h.unknownSeconds),
        formatCount(h.incidentCount),
        formatMoney(h.cost, r.cost.currency),
      ]),
      { size: 8, continuedTitle: "Hosts with the costliest downtime" },
    );
  }

  private costSection(): void {
    const r = this.report;
    const c = r.cost;
    const money = (x: number) => formatMoney(x, c.currency);
    this.heading("How the cost was calculated", 120);
    this.paragraph(
      "The estimate charges the hours IT was down at what an hour of the business costs (revenue that depends on IT plus the staff who cannot work), weighted by how much of the business each host takes down, and adds recovery, penalties and intangibles.",
      { size: 9.5 },
    );
    this.table(
      [
        { header: "Part", width: 150 },
        { header: "Amount", width: 110, align: "right" },
        { header: "", width: CONTENT_WIDTH - 260, maxLines: 2 },
      ],
      [
        ["Revenue lost", money(c.revenue), "Revenue per hour × IT dependence × hours down"],
        ["Productivity lost", money(c.productivity), "Employees × loaded hourly cost × productivity lost × hours down"],
        ["Recovery", money(c.recovery), `${formatCount(c.inputs.recoveryIncidents)} incidents × recovery cost per incident`],
        ["SLA penalties", money(c.penalty), "Penalty per hour × hours down"],
        ["Intangibles", money(c.intangible), "A share added for reputation and the like"],
        ["Total", money(c.total), ""],
      ],
      { size: 9, continuedTitle: "Cost", totalRow: true },
    );

    this.subheading("Formula, with this period's numbers", 60);
    const size = 7.5;
    const lineHeight = size * 1.3;
    for (const raw of c.formula.split(/\r?\n/)) {
      // Keep the formula's own indentation (continuation lines start with "  ="); wrapped parts indent further.
      const indentChars = /^ */.exec(raw)![0].length;
      const indent = Math.min(indentChars, 12) * this.width(" ", FONT.mono, size);
      const lines = this.wrap(raw, CONTENT_WIDTH - indent - 16, FONT.mono, size, 12);
      lines.forEach((l, n) => {
        this.ensure(lineHeight);
        this.line(l, MARGIN.left + indent + (n > 0 ? 16 : 0), this.y, FONT.mono, size);
        this.y += lineHeight;
      });
    }
    this.y += 6;

    this.subheading("Inputs", 60);
    const assumed = new Set(c.inputs.defaults.map((d) => d.replace(/^costModel\./, "")));
    for (const d of r.defaults) if (d.startsWith("costModel.")) assumed.add(d.slice("costModel.".length));
    const modelRows = Object.keys(c.inputs.model)
      .sort(byModelOrder)
      .map((k): CellInput[] => [modelLabel(k), modelValue(k, c.inputs.model[k]!, c.currency), assumed.has(k) ? { text: "assumed default", color: COLOR.warn } : "configured"]);
    this.table(
      [
        { header: "Input", width: 230, maxLines: 2 },
        { header: "Value", width: 140, align: "right" },
        { header: "Source", width: CONTENT_WIDTH - 370 },
      ],
      [
        ...modelRows,
        ["Cost per hour", `${money(c.inputs.costPerHour)}/h`, "computed"],
        ["Hours charged (weighted)", `${formatCount(Math.round(c.inputs.chargedHours * 10_000) / 10_000)} h`, "computed"],
        ["Incidents charged recovery", formatCount(c.inputs.recoveryIncidents), "computed"],
      ],
      { size: 8.5, continuedTitle: "Inputs" },
    );

    this.subheading("Assumed defaults", 30);
    if (r.defaults.length === 0) {
      this.paragraph("None: every setting was configured for this client.", { size: 9.5 });
    } else {
      this.paragraph("These settings were not configured, so the report assumed a default. Configure them to make the figures the client's own.", { size: 9.5, gapAfter: 2 });
      for (const d of r.defaults) this.paragraph(`•  ${defaultWords(d, r)}`, { size: 9.5, indent: 8, gapAfter: 1 });
    }
  }

  /** Page numbers and the report's name at the foot of every page, once the page count is known. */
  private footers(): void {
    const r = this.report;
    const range = this.doc.bufferedPageRange();
    const label = pdfText(`${plainText(r.scope.clientName)} · SLA and downtime cost · ${formatPeriod(r.period.from, r.period.to, this.zone)}`);
    for (let i = 0; i < range.count; i++) {
      this.doc.switchToPage(range.start + i);
      const y = PAGE.height - 40;
      const page = `Page ${i + 1} of ${range.count}`;
      const pageWidth = this.width(page, FONT.regular, 8);
      this.doc.moveTo(MARGIN.left, y - 6).lineTo(MARGIN.left + CONTENT_WIDTH, y - 6).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      this.line(this.ellipsize(label, CONTENT_WIDTH - pageWidth - 20, FONT.regular, 8), MARGIN.left, y, FONT.regular, 8, COLOR.muted);
      this.line(page, MARGIN.left + CONTENT_WIDTH - pageWidth, y, FONT.regular, 8, COLOR.muted);
    }
  }
}

// ——— words ———

function scopeWords(r: SlaReport): string {
  const s = r.scope;
  if (s.level === "host") return `Host ${s.hostname || s.hostId || ""}${s.siteName ? ` at ${s.siteName}` : ""}`;
  if (s.level === "site") return `Site ${s.siteName || s.siteId || ""}`;
  return "All sites and hosts";
}

function hoursWords(r: SlaReport): string {
  if (r.hours === "all") return "All hours of the period count (24x7).";
  return `Business hours count: ${r.calendar || "the client's business calendar"}.`;
}

/** Host-time in hours and minutes: summed over hosts it runs to thousands of hours, which days would hide. */
function hours(seconds: number): string {
  return formatDuration(seconds, { maxUnit: "h" });
}

function nullableHours(seconds: number | null): string {
  return seconds === null ? "n/a" : hours(seconds);
}

function signed(d: number, magnitude: string): string {
  return `${d > 0 ? "+" : d < 0 ? "-" : ""}${magnitude}`;
}

/** A change cell: the difference, an arrow the way it moved, green when it moved the good way. */
function change(delta: number, format: (d: number) => string, better: "higher" | "lower"): Cell {
  if (delta === 0 || !Number.isFinite(delta)) return { text: "no change", color: COLOR.muted };
  const good = better === "higher" ? delta > 0 : delta < 0;
  return { text: `${format(delta)} (${good ? "better" : "worse"})`, arrow: delta > 0 ? "up" : "down", color: good ? COLOR.good : COLOR.bad };
}

function availabilityChange(prev: SlaSummary, cur: SlaSummary): Cell {
  if (prev.availabilityPct === null || cur.availabilityPct === null) return { text: "n/a", color: COLOR.muted };
  // Percentage points to the same precision the figures are shown with, so the change matches them.
  const shown = (s: SlaSummary) => Number(formatAvailability(s.availabilityPct, cur.sloPct).replace("%", ""));
  const delta = Math.round((shown(cur) - shown(prev)) * 1e6) / 1e6;
  return change(delta, (d) => `${signed(d, String(Math.abs(d)))} pp`, "higher");
}

function byCost(a: ReportHost, b: ReportHost): number {
  return b.cost - a.cost || b.downSeconds - a.downSeconds || compare(a.hostname, b.hostname) || compare(a.hostId, b.hostId);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The cost model's fields in the order the formula uses them, with their meaning in words. */
const MODEL_FIELDS: Record<string, { label: string; kind: "money" | "share" | "hours" | "count" | "text" }> = {
  currency: { label: "Currency", kind: "text" },
  annualRevenue: { label: "Annual revenue", kind: "money" },
  operatingHoursPerYear: { label: "Operating hours per year", kind: "hours" },
  itDependenceShare: { label: "Share of revenue that depends on IT", kind: "share" },
  employees: { label: "Employees", kind: "count" },
  loadedHourlyCost: { label: "Loaded hourly cost per employee", kind: "money" },
  productivityLossShare: { label: "Productivity lost while IT is down", kind: "share" },
  recoveryCostPerIncident: { label: "Recovery cost per incident", kind: "money" },
  slaPenaltyPerHour: { label: "SLA penalty per hour down", kind: "money" },
  intangiblesShare: { label: "Intangibles added on top", kind: "share" },
  offHoursFactor: { label: "Weight of downtime outside business hours", kind: "share" },
};
const MODEL_ORDER = Object.keys(MODEL_FIELDS);

function byModelOrder(a: string, b: string): number {
  const ia = MODEL_ORDER.indexOf(a);
  const ib = MODEL_ORDER.indexOf(b);
  return (ia < 0 ? MODEL_ORDER.length : ia) - (ib < 0 ? MODEL_ORDER.length : ib) || compare(a, b);
}

function modelLabel(field: string): string {
  return MODEL_FIELDS[field]?.label ?? field;
}

function modelValue(field: string, value: number | string, currency: string): string {
  if (typeof value === "string") return value;
  switch (MODEL_FIELDS[field]?.kind) {
    case "money":
      return formatMoney(value, currency);
    case "share":
      return formatPct(value * 100, 4);
    case "hours":
      return `${formatCount(value)} h`;
    default:
      return formatCount(value);
  }
}

function defaultWords(d: string, r: SlaReport): string {
  if (d === "sloPct") return `SLA target (sloPct): ${formatSlo(r.sloPct)}`;
  if (d === "businessCalendar") return `Business hours (businessCalendar): ${r.calendar || "none"}`;
  if (d.startsWith("costModel.")) {
    const field = d.slice("costModel.".length);
    const value = r.cost.inputs.model[field];
    return `${modelLabel(field)} (${d})${value === undefined ? "" : `: ${modelValue(field, value, r.cost.currency)}`}`;
  }
  return d;
}
