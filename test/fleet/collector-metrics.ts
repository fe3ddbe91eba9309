/** Samples of a Prometheus text exposition: series text (`name{labels}`) → value. */
export type MetricSamples = Map<string, number>;

/** Fetches and parses a collector's `GET /metrics`. */
export async function scrapeMetrics(baseUrl: string): Promise<MetricSamples> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics: ${res.status}`);
  return parseMetrics(await res.text());
}

/** Parses Prometheus text format (comments skipped). */
export function parseMetrics(text: string): MetricSamples {
  const out: MetricSamples = new Map();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const cut = line.lastIndexOf(" ");
    if (cut > 0) out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/** Sum of the samples of `name` whose labels include every one in `labels` (0 when none). */
export function metricValue(samples: MetricSamples, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [series, value] of samples) {
    if (series !== name && !series.startsWith(`${name}{`)) continue;
    const have = seriesLabels(series);
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += value;
  }
  return total;
}

/** Values of one label across the samples of `name`, summed per label value. */
export function metricByLabel(samples: MetricSamples, name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [series, value] of samples) {
    if (!series.startsWith(`${name}{`)) continue;
    const key = seriesLabels(series)[label];
    if (key !== undefined) out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

function seriesLabels(series: string): Record<string, string> {
  const out: Record<string, string> = {};
  const open = series.indexOf("{");
  if (open < 0) return out;
  for (const m of series.slice(open).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** The latest successful scrape and when it was taken. */
export interface TimedSamples {
  at: number;
  samples: MetricSamples;
}

/**
 * Scrapes /metrics every few seconds over one kept-alive connection, so figures stay readable even when the
 * collector has no file descriptor left for a new connection. `latest` is the last scrape that succeeded.
 */
export class MetricsWatcher {
  latest: TimedSamples | undefined;
  failures = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly everyMs = 3000,
  ) {}

  /** Takes a first scrape, then keeps scraping. */
  async start(): Promise<this> {
    await this.scrape();
    this.timer = setInterval(() => void this.scrape(), this.everyMs);
    return this;
  }

  /** A fresh scrape if one succeeds now, else the latest one. */
  async now(): Promise<TimedSamples | undefined> {
    await this.scrape();
    return this.latest;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async scrape(): Promise<void> {
    try {
      const at = Date.now();
      this.latest = { at, samples: await scrapeMetrics(this.baseUrl) };
    } catch {
      this.failures++;
    }
  }
}
