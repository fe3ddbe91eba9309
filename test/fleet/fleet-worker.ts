/**
 * Child-process entry that runs one FleetShard, driven by its parent over IPC (see Fleet). Started with
 * `fork(…, { execArgv: ["--import", "tsx"], serialization: "advanced" })`.
 */
import { FleetShard, type ShardOptions } from "./shard.js";

/** A request from the parent. */
export type WorkerRequest =
  | { id: number; op: "init"; options: ShardOptions }
  | { id: number; op: "connect" }
  | { id: number; op: "start"; t0: number }
  | { id: number; op: "halt" }
  | { id: number; op: "window"; from: number; to: number }
  | { id: number; op: "report"; graceMs: number }
  | { id: number; op: "stop" };

/** The answer to a request with the same id. */
export type WorkerReply = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: string };

let shard: FleetShard | undefined;

async function handle(req: WorkerRequest): Promise<unknown> {
  if (req.op === "init") {
    shard = new FleetShard(req.options);
    return undefined;
  }
  if (!shard) throw new Error("init first");
  switch (req.op) {
    case "connect":
      return shard.connect();
    case "start":
      return shard.start(req.t0);
    case "halt":
      return shard.halt();
    case "window":
      return shard.setWindow(req.from, req.to);
    case "report":
      return shard.report(req.graceMs);
    case "stop":
      await shard.stop();
      setImmediate(() => process.exit(0));
      return undefined;
  }
}

if (!process.send) throw new Error("fleet-worker runs as a child process with an IPC channel");
process.on("message", (req: WorkerRequest) => {
  handle(req).then(
    (result) => process.send!({ id: req.id, ok: true, result } satisfies WorkerReply),
    (err: Error) => process.send!({ id: req.id, ok: false, error: err.stack ?? err.message } satisfies WorkerReply),
  );
});
// A parent that dies must not leave thousands of sockets open.
process.on("disconnect", () => process.exit(0));
