import { once } from "node:events";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@clickhouse/client";
import { createChdbConnection } from "chdb/connection";
import pino from "pino";
import type { Batch } from "@vigil/protocol";
import { loadConfig } from "../../collector/src/config.js";
import { batchRows, canonicalLabels } from "../../collector/src/gateway/rows.js";
import { openStore, type Store } from "../../collector/src/store/clickhouse.js";
import { migrate } from "../../collector/src/store/migrate.js";
import { BatchWriter, type TableRows, type WriterObserver } from "../../collector/src/writer/writer.js";
import { healthRecord } from "../fleet/simulated-agent.js";
import { cleanup, tempDir } from "../support/processes.js";
import { fmtNumber, formatTable, median } from "./measure.js";

/** Sizes of the ingest benchmark. */
export interface IngestOptions {
  /** Metric rows per run through the writer (default 2,000,000). */
  rows: number;
  runs: number;
  /** Metric rows per store-level experiment (default 1,000,000; 0 skips the experiments). */
  experimentRows: number;
  log: (line: string) => void;
}

const AGENTS = 10_000;
const CORES = 4;
const POINTS_PER_BATCH = 6 + CORES;
const CLIENT_ID = "bnch0client0000a";
const SITE_ID = "bnch0site000000a";

/** One agent batch as the gateway hands it to the writer, plus the ack mark the ledger writes after it. */
interface GatewayJob {
  rows: TableRows;
  agentId: string;
  seq: number;
}

/**
 * Points/s into the embedded store through the collector's BatchWriter with its default settings, fed
 * with rows from the gateway's batchRows(); then store-level experiments that show where the time goes.
 */
export async function ingestBench(o: IngestOptions): Promise<void> {
  const dataDir = tempDir("bench-ingest");
  const chPath = path.join(dataDir, "clickhouse");
  const config = loadConfig({});
  const store = await openStore({ kind: "embedded", path: chPath, database: "vigil" });
  try {
    await migrate(store, config.retention);
    console.log(
      `Writer settings (collector defaults): flush every ${config.writer.flushIntervalMs} ms or ${fmtNumber(config.writer.maxRowsPerFlush)} rows, ` +
        `high water ${fmtNumber(config.writer.highWaterRows)} rows. Batches of ${POINTS_PER_BATCH} points from ${fmtNumber(AGENTS)} agents. ` +
        `${os.cpus().length} CPUs.`,
    );
    const modes = [
      { name: "gateway-like: fed up to the high-water mark", limit: undefined },
      { name: `queue held under ${fmtNumber(2 * config.writer.maxRowsPerFlush)} rows (2 flushes)`, limit: 2 * config.writer.maxRowsPerFlush },
    ];
    for (const mode of modes) {
      const results: WriterRun[] = [];
      for (let run = 1; run <= o.runs; run++) {
        const jobs = gatewayJobs(o.rows, run + (mode.limit ? 10 : 0));
        o.log(`ingest (${mode.name}) run ${run}/${o.runs}: ${fmtNumber(o.rows)} metric rows in ${fmtNumber(jobs.length)} batches`);
        results.push(await writerRun(store, config.writer, jobs, mode.limit));
      }
      console.log(`\nBatchWriter → Store.insert (JSONEachRow via @clickhouse/client → chDB), ${mode.name}:`);
      console.log(
        formatTable(
          ["run", "metric rows", "all rows", "seconds", "metric rows/s", "metrics_raw inserts", "rows/insert", "in metrics_raw inserts"],
          results.map((r, i) => [
            String(i + 1),
            r.metricRows,
            r.allRows,
            r.seconds.toFixed(2),
            Math.round(r.metricRows / r.seconds),
            r.metricInserts,
            Math.round(r.metricRows / Math.max(1, r.metricInserts)),
            `${((r.metricInsertSeconds / r.seconds) * 100).toFixed(0)} % of the time`,
          ]),
        ),
      );
      const med = median(results.map((r) => r.metricRows / r.seconds));
      console.log(`median of ${o.runs}: ${fmtNumber(Math.round(med))} points/s (target ≥ 1,000,000 points/s: ${med >= 1_000_000 ? "met" : `NOT met, ${(med / 1_000_000).toFixed(2)}× of it`})`);
    }
    console.log("(all rows = metrics_raw + health_samples + agent_acks; the views add metrics_1m, metrics_1h and stored_seq rows on top)");

    if (o.experimentRows > 0) await experiments(store, chPath, dataDir, o);
  } finally {
    await store.close();
    cleanup(dataDir);
  }
}

interface WriterRun {
  metricRows: number;
  allRows: number;
  seconds: number;
  metricInserts: number;
  metricInsertSeconds: number;
}

/**
 * Feeds the jobs to a fresh BatchWriter like the gateway does: as fast as they come while the writer is under its
 * high-water mark, or (with `maxQueuedRows`) never more than that many rows ahead.
 */
async function writerRun(store: Store, settings: ReturnType<typeof loadConfig>["writer"], jobs: GatewayJob[], maxQueuedRows?: number): Promise<WriterRun> {
  const seen = { metricInserts: 0, metricInsertSeconds: 0, rows: 0 };
  const observer: WriterObserver = {
    insertDuration(table, seconds) {
      if (table !== "metrics_raw") return;
      seen.metricInserts++;
      seen.metricInsertSeconds += seconds;
    },
    rowsWritten(_table, rows) {
      seen.rows += rows;
    },
    queueDepth() {},
  };
  const writer = new BatchWriter(store, { ...settings, observer, logger: pino({ level: "warn" }) });
  const started = performance.now();
  const done: Array<Promise<void>> = [];
  for (const job of jobs) {
    // The gateway stops reading sockets while the writer is over its high-water mark.
    if (writer.full) await once(writer, "drain");
    while (maxQueuedRows !== undefined && writer.depth >= maxQueuedRows) await once(writer, "flushed");
    done.push(writer.submit(job.rows).then(() => writer.submit({ agent_acks: [{ agent_id: job.agentId, seq: job.seq }] })));
  }
  await Promise.all(done);
  const seconds = (performance.now() - started) / 1000;
  await writer.close();
  return { metricRows: jobs.length * POINTS_PER_BATCH, allRows: seen.rows, seconds, metricInserts: seen.metricInserts, metricInsertSeconds: seen.metricInsertSeconds };
}

/** Batches of `AGENTS` agents at 15 s intervals, through the gateway's batchRows(); run n gets later timestamps. */
function gatewayJobs(metricRows: number, run: number): GatewayJob[] {
  const batches = Math.ceil(metricRows / POINTS_PER_BATCH);
  const base = Date.now() - 6 * 3600_000 + run * 3600_000;
  const jobs: GatewayJob[] = [];
  for (let i = 0; i < batches; i++) {
    const a = i % AGENTS;
    const round = Math.floor(i / AGENTS);
    const seq = (run - 1) * 1_000_000 + round + 1;
    const ts = base + round * 15_000 + Math.floor((a * 15_000) / AGENTS);
    const batch: Batch = { type: "batch", v: 1, seq, sentAt: ts, records: [healthRecord(ts, `boot-${a}`, CORES)] };
    const agentId = agentIdOf(a);
    const { rows } = batchRows(batch, { agentId, clientId: CLIENT_ID, siteId: SITE_ID, skewMs: 0, receivedAt: ts + 20 }, new Set());
    jobs.push({ rows, agentId, seq });
  }
  return jobs;
}

function agentIdOf(a: number): string {
  return `bnchagent${String(a).padStart(7, "0")}`;
}

// Column order for the positional formats (TSV, JSONCompactEachRow).
const COLUMNS = ["client_id", "site_id", "agent_id", "seq", "ts", "boot_id", "received_at", "skew_ms", "name", "labels", "value"] as const;
const TSV_STRUCTURE =
  "client_id String, site_id String, agent_id String, seq UInt64, ts DateTime64(3), boot_id String, received_at DateTime64(3), skew_ms Int32, name String, labels String, value Float64";
// The series of one simulated host (healthRecord with 4 cores): name and canonical labels.
const SAMPLE = healthRecord(0, "b", CORES);
const SERIES: Array<[string, string]> = SAMPLE.kind === "health" ? SAMPLE.metrics.map((m) => [m.name, canonicalLabels(m.labels)]) : [];
const CHUNK = 100_000;

/** Store-level experiments on metrics_raw: the same rows by other routes, to find what limits the writer. */
async function experiments(store: Store, chPath: string, dataDir: string, o: IngestOptions): Promise<void> {
  const n = o.experimentRows;
  // A second session on the same data directory reaches chDB's own insert entry points.
  const connection = createChdbConnection({ path: chPath });
  const client = createClient({ connection: connection as never });
  const raw = connection.chdb;
  try {
    await raw.queryAsync("CREATE TABLE IF NOT EXISTS vigil.bench_raw_no_views AS vigil.metrics_raw");
    await raw.queryAsync("CREATE TABLE IF NOT EXISTS vigil.bench_raw_seq_view AS vigil.metrics_raw");
    await raw.queryAsync(
      `CREATE MATERIALIZED VIEW IF NOT EXISTS vigil.bench_raw_seq_view_mv TO vigil.stored_seq AS
       SELECT agent_id, 'bench' AS source, max(seq) AS seq, max(ts) AS last_ts, max(received_at) AS last_received
       FROM vigil.bench_raw_seq_view GROUP BY agent_id`,
    );
    const rows = gatewayJobs(n, 9).flatMap((j) => j.rows.metrics_raw as Array<Record<string, unknown>>);
    const chunks: Array<Array<Record<string, unknown>>> = [];
    for (let i = 0; i < rows.length; i += CHUNK) chunks.push(rows.slice(i, i + CHUNK));
    const json = (c: Array<Record<string, unknown>>) => Buffer.from(c.map((r) => JSON.stringify(r)).join("\n"));
    const tsv = (c: Array<Record<string, unknown>>) => Buffer.from(c.map(tsvLine).join("\n"));
    const files = chunks.map((c, i) => {
      const file = path.join(dataDir, `chunk-${i}.tsv`);
      writeFileSync(file, tsv(c));
      return file;
    });
    const settings = { date_time_input_format: "best_effort" };
    const fileInsert = (table: string, file: string) =>
      raw.queryAsync(`INSERT INTO vigil.${table} (${COLUMNS.join(", ")}) SELECT * FROM file('${file}', TSV, '${TSV_STRUCTURE}')`);
    // The gateway's row shape, generated inside the engine: per 100k rows one sample of each of 10 series of 10,000 agents.
    const selectInsert = (table: string, from: number) =>
      raw.queryAsync(
        `INSERT INTO vigil.${table} (${COLUMNS.join(", ")})
         SELECT '${CLIENT_ID}', '${SITE_ID}', concat('bnchagent', leftPad(toString(intDiv(number, 10) % ${AGENTS}), 7, '0')),
                intDiv(number, ${AGENTS * POINTS_PER_BATCH}) + 1,
                fromUnixTimestamp64Milli(toInt64(${Date.now() - 7200_000} + intDiv(number, ${AGENTS * POINTS_PER_BATCH}) * 15000 + intDiv(number, 10) % ${AGENTS})),
                'boot', now64(3), 0, [${SERIES.map(([name]) => `'${name}'`).join(",")}][number % 10 + 1],
                [${SERIES.map(([, labels]) => `'${labels}'`).join(",")}][number % 10 + 1], toFloat64(number % 100)
         FROM numbers(${from}, ${CHUNK})`,
      );
    const offsets = chunks.map((_, i) => i * CHUNK);

    const cases: Array<{ what: string; run: () => Promise<unknown> }> = [
      { what: "Store.insert, JSONEachRow: the writer's path", run: () => each(chunks, (c) => store.insert("metrics_raw", c)) },
      { what: "  JSON.stringify of those rows alone (no insert)", run: () => each(chunks, async (c) => c.map((r) => JSON.stringify(r)).join("\n")) },
      { what: "client.insert, JSONCompactEachRow (arrays)", run: () => each(chunks, (c) => client.insert({ table: "vigil.metrics_raw", columns: [...COLUMNS], values: c.map((r) => COLUMNS.map((k) => r[k])), format: "JSONCompactEachRow" })) },
      { what: "chDB rawInsert, JSONEachRow Buffer (no client)", run: () => each(chunks, (c) => raw.rawInsert({ table: "vigil.metrics_raw", values: json(c), format: "JSONEachRow", settings })) },
      { what: "chDB rawInsert, TSV Buffer (no client)", run: () => each(chunks, (c) => raw.rawInsert({ table: "vigil.metrics_raw", columns: COLUMNS, values: tsv(c), format: "TSV" })) },
      { what: "chDB reads the TSV from a file (no Node → chDB copy)", run: () => each(files, (f) => fileInsert("metrics_raw", f)) },
      { what: "INSERT … SELECT numbers(): no parsing, 3 views", run: () => each(offsets, (f) => selectInsert("metrics_raw", f)) },
      { what: "INSERT … SELECT numbers(): no parsing, only stored_seq view", run: () => each(offsets, (f) => selectInsert("bench_raw_seq_view", f)) },
      { what: "INSERT … SELECT numbers(): no parsing, no views", run: () => each(offsets, (f) => selectInsert("bench_raw_no_views", f)) },
    ];
    const table: Array<Array<string | number>> = [];
    let reference = 0;
    for (const c of cases) {
      o.log(`experiment: ${c.what.trim()}`);
      const started = performance.now();
      await c.run();
      const seconds = (performance.now() - started) / 1000;
      const rate = n / seconds;
      reference ||= rate;
      table.push([c.what, seconds.toFixed(2), Math.round(rate), `${(rate / reference).toFixed(2)}×`]);
    }
    console.log(`\nStore-level experiments on metrics_raw: ${fmtNumber(n)} rows each, in inserts of ${fmtNumber(CHUNK)} rows (one flush of a 10,000-agent fleet):`);
    console.log(formatTable(["route", "seconds", "rows/s", "vs writer path"], table));
    console.log(
      "(views on metrics_raw: metrics_1m_mv, metrics_1h_mv, stored_seq_metrics_raw_mv. Each flush holds one sample per series, so both rollups write one row per raw row.)",
    );
  } finally {
    await client.close();
  }
}

async function each<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  for (const item of items) await fn(item);
}

function tsvLine(r: Record<string, unknown>): string {
  return COLUMNS.map((k) => {
    const v = r[k];
    return typeof v === "string" ? v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n") : String(v);
  }).join("\t");
}
