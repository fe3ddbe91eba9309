import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { WriterObserver } from "../writer/writer.js";

/** The collector's Prometheus metrics, served at GET /metrics. */
export class CollectorMetrics implements WriterObserver {
  readonly registry = new Registry();
  readonly connectedAgents = new Gauge({ name: "vigil_connected_agents", help: "Agents connected to this collector", registers: [this.registry] });
  readonly batchesReceived = new Counter({ name: "vigil_batches_received_total", help: "Batches received from agents, including resends", registers: [this.registry] });
  readonly batchesDuplicate = new Counter({ name: "vigil_batches_duplicate_total", help: "Resent batches recognised as already stored", registers: [this.registry] });
  readonly pointsReceived = new Counter({ name: "vigil_points_received_total", help: "Metric points and check results received", registers: [this.registry] });
  readonly rowsWrittenTotal = new Counter({ name: "vigil_rows_written_total", help: "Rows written to ClickHouse", labelNames: ["table"], registers: [this.registry] });
  readonly insertSeconds = new Histogram({
    name: "vigil_insert_duration_seconds",
    help: "Duration of one ClickHouse insert",
    labelNames: ["table", "outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly ackSeconds = new Histogram({
    name: "vigil_ack_latency_seconds",
    help: "From a batch's arrival to its acknowledgement",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 10],
    registers: [this.registry],
  });
  readonly writerQueueRows = new Gauge({ name: "vigil_writer_queue_rows", help: "Rows waiting in the writer", registers: [this.registry] });
  readonly rejectedMessages = new Counter({
    name: "vigil_rejected_messages_total",
    help: "Frames, connections and batches refused, by reason",
    labelNames: ["reason"],
    registers: [this.registry],
  });
  readonly spoolDroppedBatches = new Counter({
    name: "vigil_agent_spool_dropped_batches_total",
    help: "Batches agents reported lost to spool overflow",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  insertDuration(table: string, seconds: number, ok: boolean): void {
    this.insertSeconds.observe({ table, outcome: ok ? "ok" : "error" }, seconds);
  }

  rowsWritten(table: string, rows: number): void {
    this.rowsWrittenTotal.inc({ table }, rows);
  }

  queueDepth(rows: number): void {
    this.writerQueueRows.set(rows);
  }
}
