import { useEffect, useId, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./TimeChart.css";

/** One line of a chart: its legend label and [epoch ms, value] points by time. */
export interface ChartSeries {
  label: string;
  points: ReadonlyArray<ReadonlyArray<number>>;
}

/** Colour-blind-safe line colours (Okabe–Ito), in series order. */
const COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442"];

/** Aligns series on one time axis for uPlot (seconds), with null where a series has no point. */
function align(series: readonly ChartSeries[]): uPlot.AlignedData {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0]!)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const col: Array<number | null> = new Array(times.length).fill(null);
    for (const p of s.points) col[index.get(p[0]!)!] = p[1]!;
    return col;
  });
  return [times.map((t) => t / 1000), ...columns] as uPlot.AlignedData;
}

/** Latest, lowest and highest value of a series, or null without points. */
function summarise(s: ChartSeries): { latest: number; min: number; max: number } | null {
  if (s.points.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const p of s.points) {
    const v = p[1]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { latest: s.points[s.points.length - 1]![1]!, min, max };
}

/**
 * A time-series line chart (uPlot) that fills its container's width and follows it when it resizes. For
 * screen readers the drawing is an image whose label sums up each series (latest, lowest, highest), and a
 * visually hidden table lists the same figures.
 */
export function TimeChart({
  title,
  series,
  format,
  height = 200,
  from,
  to,
  yRange,
}: {
  title: string;
  series: readonly ChartSeries[];
  format(value: number): string;
  height?: number;
  /** The time range shown (epoch ms), whatever part of it has data; default the data's extent. */
  from?: number;
  to?: number;
  /** Least y range (e.g. 0–100 for percentages); values beyond it widen it. */
  yRange?: readonly [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const withData = useMemo(() => series.filter((s) => s.points.length > 0), [series]);
  const summary = useMemo(
    () =>
      withData
        .map((s) => {
          const f = summarise(s)!;
          return `${s.label}: latest ${format(f.latest)}, lowest ${format(f.min)}, highest ${format(f.max)}`;
        })
        .join("; "),
    [withData, format],
  );

  useEffect(() => {
    const el = box.current;
    if (!el || withData.length === 0) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: from !== undefined && to !== undefined ? { time: true, range: [from / 1000, to / 1000] } : { time: true },
        ...(yRange ? { y: { range: (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => [Math.min(yRange[0], min), Math.max(yRange[1], max)] } } : {}),
      },
      axes: [{}, { values: (_u, ticks) => ticks.map((v) => format(v)), size: 70 }],
      series: [{}, ...withData.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 1.5, value: (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)) }))],
    };
    const plot = new uPlot(opts, align(withData), el);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [withData, format, height, from, to, yRange]);

  return (
    <figure className="time-chart" aria-labelledby={titleId}>
      <figcaption id={titleId}>{title}</figcaption>
      {withData.length === 0 ? (
        <p className="muted no-data">No data in this range.</p>
      ) : (
        <>
          <div ref={box} className="time-chart-plot" role="img" aria-label={`${title}. ${summary}`} />
          <div className="visually-hidden">
            <table>
            <caption>{title}: figures for the range shown</caption>
            <thead>
              <tr>
                <th scope="col">Series</th>
                <th scope="col">Latest</th>
                <th scope="col">Lowest</th>
                <th scope="col">Highest</th>
              </tr>
            </thead>
            <tbody>
              {withData.map((s) => {
                const f = summarise(s)!;
                return (
                  <tr key={s.label}>
                    <th scope="row">{s.label}</th>
                    <td>{format(f.latest)}</td>
                    <td>{format(f.min)}</td>
                    <td>{format(f.max)}</td>
                  </tr>
                );
              })}
            </tbody>
            </table>
          </div>
        </>
      )}
    </figure>
  );
}
