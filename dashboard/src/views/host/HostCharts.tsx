import { useCallback, useState } from "react";
import { api, call } from "../../api/client";
import { useApi } from "../../api/useApi";
import { ErrorBox, Loading } from "../../components/States";
import { TimeChart, type ChartSeries } from "../../components/TimeChart";
import { formatBytes } from "../../format";

/** A series as the metrics endpoint answers it. */
interface MetricSeries {
  name: string;
  labels: Record<string, string>;
  points: ReadonlyArray<ReadonlyArray<number>>;
}

/** The ranges offered; longer ones are answered from the rollups. */
export const RANGES = [
  { key: "1h", label: "1 h", ms: 3600_000 },
  { key: "24h", label: "24 h", ms: 86_400_000 },
  { key: "7d", label: "7 d", ms: 7 * 86_400_000 },
  { key: "30d", label: "30 d", ms: 30 * 86_400_000 },
] as const;
type RangeKey = (typeof RANGES)[number]["key"];

const NAMES = ["cpu.utilization", "memory.used_pct", "fs.used_pct", "net.rx_bps", "net.tx_bps", "check.latency_ms"];

const pct = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} %`;
const rate = (v: number) => `${formatBytes(v)}/s`;
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;

/** Series of one metric, labelled by `label(labels)`. */
function pick(all: readonly MetricSeries[], name: string, label: (labels: Record<string, string>) => string): ChartSeries[] {
  return all.filter((s) => s.name === name).map((s) => ({ label: label(s.labels), points: s.points }));
}

/** CPU, memory, filesystems, network and check latency over a chosen range. */
export function HostCharts({ hostId }: { hostId: string }) {
  const [range, setRange] = useState<RangeKey>("1h");
  const span = RANGES.find((r) => r.key === range)!.ms;
  const metrics = useApi(async () => {
    const to = Date.now();
    const from = to - span;
    const data = await call(api.GET("/api/v1/hosts/{id}/metrics", { params: { path: { id: hostId }, query: { name: NAMES.join(","), from: String(from), to: String(to) } } }));
    return { ...data, from, to };
  }, [hostId, span]);
  const format = { pct: useCallback(pct, []), rate: useCallback(rate, []), ms: useCallback(ms, []) };

  return (
    <div className="host-charts">
      <div className="range-picker" role="group" aria-label="Time range">
        {RANGES.map((r) => (
          <button key={r.key} type="button" className={r.key === range ? "" : "secondary"} aria-pressed={r.key === range} onClick={() => setRange(r.key)}>
            {r.label}
          </button>
        ))}
        <button type="button" className="secondary" onClick={metrics.reload} disabled={metrics.loading}>
          Refresh
        </button>
        {metrics.data && (
          <small className="muted">
            {metrics.data.resolution === "raw" ? "raw samples" : `${metrics.data.resolution} averages`}
          </small>
        )}
      </div>
      {metrics.error && <ErrorBox error={metrics.error} retry={metrics.reload} />}
      {!metrics.data && !metrics.error && <Loading what="Loading the charts" />}
      {metrics.data && <Charts series={metrics.data.series} format={format} from={metrics.data.from} to={metrics.data.to} />}
    </div>
  );
}

const PERCENT: readonly [number, number] = [0, 100];
const FROM_ZERO: readonly [number, number] = [0, 0];

function Charts({ series, format, from, to }: { series: MetricSeries[]; format: { pct(v: number): string; rate(v: number): string; ms(v: number): string }; from: number; to: number }) {
  const cpu = pick(series, "cpu.utilization", () => "CPU");
  const memory = pick(series, "memory.used_pct", () => "memory used");
  const fs = pick(series, "fs.used_pct", (l) => l.mount ?? l.device ?? "filesystem");
  const net = [...pick(series, "net.rx_bps", (l) => `${l.iface ?? ""} in`.trim()), ...pick(series, "net.tx_bps", (l) => `${l.iface ?? ""} out`.trim())];
  const latency = pick(series, "check.latency_ms", (l) => `${l.check ?? "check"}${l.role ? ` (${l.role})` : ""}`);
  if ([cpu, memory, fs, net, latency].every((s) => s.length === 0)) {
    return <p className="empty">No data in this range yet. Once the agent runs, its samples appear here within seconds; pick a longer range to see older data.</p>;
  }
  return (
    <div className="chart-grid">
      <TimeChart title="CPU utilisation" series={cpu} format={format.pct} from={from} to={to} yRange={PERCENT} />
      <TimeChart title="Memory used" series={memory} format={format.pct} from={from} to={to} yRange={PERCENT} />
      <TimeChart title="Filesystems used" series={fs} format={format.pct} from={from} to={to} yRange={PERCENT} />
      <TimeChart title="Network traffic" series={net} format={format.rate} from={from} to={to} yRange={FROM_ZERO} />
      <TimeChart title="Check latency" series={latency} format={format.ms} from={from} to={to} yRange={FROM_ZERO} />
    </div>
  );
}
