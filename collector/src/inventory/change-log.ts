import { InventoryDocument } from "@vigil/protocol";
import type { Store } from "../store/clickhouse.js";
import { saveChanges, snapshotAndPrevious, uncomparedSnapshots } from "../store/queries/inventory.js";
import { diffInventories } from "./changes.js";

/** Most documents compared in one call; a later call continues where this one stopped. */
const MAX_PER_CALL = 5000;

/**
 * Compares every inventory document of the scope received in [fromMs, toMs] with the host's previous
 * document (by batch seq) and stores the differences as change events, each document once. Safe to run
 * concurrently or again: the events are keyed, so a comparison stored twice collapses into one.
 * Returns how many documents were compared.
 */
export async function recordInventoryChanges(store: Store, scope: { clientId: string; agentId?: string; fromMs: number; toMs: number }): Promise<number> {
  const pending = await uncomparedSnapshots(store, scope);
  let compared = 0;
  for (const { agent_id: agentId, seq } of pending.slice(0, MAX_PER_CALL)) {
    const { current, previous } = await snapshotAndPrevious(store, scope.clientId, agentId, Number(seq));
    if (!current) continue;
    const next = parse(current.document);
    const prev = previous ? parse(previous.document) : null;
    // The first document of a host is its baseline: nothing to compare it with.
    const changes = next && prev ? diffInventories(prev, next) : [];
    await saveChanges(
      store,
      {
        client_id: scope.clientId,
        site_id: current.site_id,
        agent_id: agentId,
        seq: Number(current.seq),
        prev_seq: previous ? Number(previous.seq) : 0,
        ts: Number(current.ts),
        prev_ts: previous ? Number(previous.ts) : Number(current.ts),
      },
      changes,
    );
    compared++;
  }
  return compared;
}

function parse(json: string): InventoryDocument | null {
  try {
    const r = InventoryDocument.safeParse(JSON.parse(json));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
