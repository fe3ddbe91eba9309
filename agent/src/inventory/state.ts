import { chmodSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/** How the last inventory run ended. */
export type InventoryOutcome = "sent" | "unchanged" | "not_accepted" | "too_large" | "failed";

/** What the agent remembers about inventory between runs and restarts (`inventory.json` in the state dir). */
export interface InventoryState {
  /** The agent id the remembered hash was sent as: a re-enrolled agent sends its inventory again. */
  agentId: string;
  /** Hash of the last document handed to the spool, or null when the next run must send whatever it finds. */
  sentHash: string | null;
  /** Sequence numbers of the batches that carried it (first and last part). */
  sentSeqs: [number, number] | null;
  sentAt: string | null;
  lastRun: {
    at: string;
    outcome: InventoryOutcome;
    durationMs: number;
    cpuMs: number;
    childCpuMs: number;
    maxEventLoopDelayMs: number;
    rawBytes: number;
    gzipBytes: number;
    wireChars: number;
    parts: number;
    error?: string;
  } | null;
}

const FILE = "inventory.json";

/** Reads the saved state; a missing or unreadable file (or another agent's) means "send the next one". */
export function readInventoryState(dir: string, agentId: string): InventoryState {
  try {
    const s = JSON.parse(readFileSync(path.join(dir, FILE), "utf8")) as InventoryState;
    if (s.agentId === agentId) return s;
  } catch {
    // First run, or a damaged file: start afresh.
  }
  return { agentId, sentHash: null, sentSeqs: null, sentAt: null, lastRun: null };
}

/** Saves the state atomically (a crash leaves the old or the new file, never half of one). */
export function writeInventoryState(dir: string, state: InventoryState): void {
  const file = path.join(dir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
