// Display formats shared by the views. Times show in the browser's time zone unless a zone is given.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** An epoch-ms or ISO instant as a local date and time; "—" when absent. */
export function formatTime(at: number | string | null | undefined, timeZone?: string): string {
  if (at === null || at === undefined || at === "") return "—";
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return "—";
  return timeZone ? new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone }).format(d) : dateTime.format(d);
}

/** "3 min ago", "2 h ago": how long ago an instant was. */
export function formatAgo(at: number | string | null | undefined, now = Date.now()): string {
  if (at === null || at === undefined) return "never";
  const ms = now - new Date(at).getTime();
  if (ms < 0 || Number.isNaN(ms)) return "just now";
  return `${formatDuration(ms)} ago`;
}

/** A duration in ms as "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** A money amount in a currency, e.g. "€1,234.50". */
export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
}

/** A percentage with enough digits to tell the nines apart: 99.95 %. */
export function formatPct(pct: number | null | undefined, digits = 3): string {
  return pct === null || pct === undefined ? "—" : `${pct.toFixed(digits).replace(/\.?0+$/, "")} %`;
}

/** Bytes as "1.5 GiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 10 || i === 0 ? 0 : 1)} ${units[i]}`;
}
