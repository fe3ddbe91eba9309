import type { Store } from "../store/clickhouse.js";
import { agentsChangedSince, findAgent, type AgentRow } from "../store/queries/agents.js";

const MISS_TTL_MS = 10_000;

/**
 * Agents by id, kept in memory so that thousands of agents reconnecting at once do not each cost a
 * query. Loaded whole at start-up, refreshed with recent changes, and looked up in the store on a miss.
 */
export class AgentDirectory {
  private readonly agents = new Map<string, AgentRow>();
  private readonly misses = new Map<string, number>();
  private readonly reloadedAt = new Map<string, number>();
  private refreshedAt = 0;

  constructor(private readonly store: Store) {}

  /** Loads every agent on the first call; afterwards, the ones changed since the last call. */
  async load(): Promise<void> {
    const since = this.refreshedAt;
    this.refreshedAt = Date.now();
    // A minute of overlap covers rows written with a slightly earlier clock by another collector.
    const rows = await agentsChangedSince(this.store, since - 60_000);
    for (const r of rows) {
      this.agents.set(r.id, r);
      this.misses.delete(r.id);
    }
  }

  /** The agent with this id, or null; misses are remembered briefly so bad tokens cannot flood the store. */
  async get(id: string): Promise<AgentRow | null> {
    const known = this.agents.get(id);
    if (known) return known;
    const missedAt = this.misses.get(id);
    if (missedAt !== undefined && Date.now() - missedAt < MISS_TTL_MS) return null;
    const row = await findAgent(this.store, id);
    if (row) this.agents.set(id, row);
    else {
      if (this.misses.size > 100_000) this.misses.clear();
      this.misses.set(id, Date.now());
    }
    return row;
  }

  /**
   * Re-reads one agent from the store, at most once a second per agent: a presented token that does not
   * match the cached hash may belong to a re-enrollment this collector has not seen yet.
   */
  async reload(id: string): Promise<AgentRow | null> {
    const last = this.reloadedAt.get(id) ?? 0;
    if (Date.now() - last < 1000) return this.agents.get(id) ?? null;
    if (this.reloadedAt.size > 100_000) this.reloadedAt.clear();
    this.reloadedAt.set(id, Date.now());
    const row = await findAgent(this.store, id);
    if (row) this.agents.set(id, row);
    return row;
  }

  /** Forgets what is cached for an agent (after enrollment or revocation changed it). */
  invalidate(id: string): void {
    this.agents.delete(id);
    this.misses.delete(id);
  }
}
