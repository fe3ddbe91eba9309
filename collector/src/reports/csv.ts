/**
 * RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled, lines end in CRLF.
 * Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) get a leading
 * apostrophe: hostnames and package names come from client machines and must not execute anything.
 */

/** One cell: text, a number written exactly, a boolean as true/false, or null for an empty cell. */
export type CsvCell = string | number | boolean | null;

/** The header and rows as one RFC 4180 CSV text, formula-looking text neutralised. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

function cell(value: CsvCell): string {
  // A number is data we computed, never text from a client machine: -5 stays a number a spreadsheet can
  // sum, instead of the text '-5. NaN and Infinity have no CSV meaning, so they are left empty.
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  let s = value === null ? "" : value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
