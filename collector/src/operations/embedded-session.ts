import { Session } from "chdb";
import { toStoreError } from "../store/errors.js";

/**
 * A direct chDB session on an embedded store directory, for backup and restore only. The collector's
 * Store goes through @clickhouse/client, whose chDB connection cannot pass engine configuration; BACKUP
 * and RESTORE need one server setting, `backups.allowed_path`, given when the engine starts.
 */
export class EmbeddedSession {
  private readonly session: Session;

  /** Opens the store at `path`, allowing backup files under `backupDir` only. */
  constructor(path: string, backupDir: string) {
    try {
      this.session = new Session(path, { connectionArgs: [`--backups.allowed_path=${backupDir}`] });
    } catch (err) {
      throw toStoreError(err, `open the embedded store at ${path}`);
    }
  }

  /** Runs a statement with bound parameters and returns its JSON rows. */
  async query<T>(sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
    try {
      const text = (await this.session.queryBindAsync(sql, params, { format: "JSONEachRow" })).text();
      return text
        .split("\n")
        .filter((line) => line.trim().length > 0)
        .map((line) => JSON.parse(line) as T);
    } catch (err) {
      throw toStoreError(err, sql.split(" ").slice(0, 2).join(" ").toLowerCase());
    }
  }

  /** Tables and rows of a database (views hold no rows of their own and are not counted). */
  async contents(database: string): Promise<{ tables: number; rows: number }> {
    const [r] = await this.query<{ tables: number; rows: number | null }>(
      "SELECT count() AS tables, sum(ifNull(total_rows, 0)) AS rows FROM system.tables WHERE database = {db:String} AND engine NOT LIKE '%View'",
      { db: database },
    );
    return { tables: Number(r?.tables ?? 0), rows: Number(r?.rows ?? 0) };
  }

  close(): void {
    this.session.close();
  }
}
