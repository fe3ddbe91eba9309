import { existsSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import type { CollectorConfig } from "../config.js";
import { archivePath } from "./archive-name.js";
import { lockDataDir } from "./data-dir-lock.js";
import { EmbeddedSession } from "./embedded-session.js";
import { OperationError } from "./errors.js";

/** What `vigil restore` did. */
export interface RestoreResult {
  tables: number;
  rows: number;
  /** Where the store that was replaced now lives, if there was one. */
  previous: string | undefined;
}

/**
 * Replaces the embedded store with the contents of a `vigil backup` archive. The archive is restored
 * into a fresh directory first and swapped in only when that succeeded, so a failed restore leaves
 * the current store untouched; the replaced store is kept beside it until the operator deletes it.
 * The collector must be stopped. Migrations newer than the backup run at the next start.
 */
export async function restoreEmbeddedStore(config: CollectorConfig, from: string): Promise<RestoreResult> {
  if (config.clickhouse.kind !== "embedded") {
    throw new OperationError("vigil restore fills the embedded store; with VIGIL_CLICKHOUSE_URL, use the ClickHouse server's RESTORE (see deploy/README.md)", false);
  }
  const file = archivePath(from);
  if (!existsSync(file) || !statSync(file).isFile()) throw new OperationError(`${file}: no such backup file`, false);
  const target = config.clickhouse.path;
  const database = config.clickhouse.database;

  const lock = lockDataDir(config.dataDir, "restore");
  const stamp = new Date().toISOString().replace(/[-:.]/g, "");
  const staging = `${target}.restoring-${stamp}`;
  let session: EmbeddedSession | undefined;
  try {
    session = new EmbeddedSession(staging, realpathSync(path.dirname(file)));
    await session.query(`RESTORE DATABASE ${database} FROM File({file:String})`, { file: realpathSync(file) });
    const { tables, rows } = await session.contents(database);
    const [ledger] = await session.query<{ n: number }>("SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = 'schema_migrations'", { db: database });
    if (tables === 0 || Number(ledger?.n) !== 1) {
      throw new OperationError(`${file} holds no Vigil database "${database}" (no schema_migrations table); nothing was changed`, false);
    }
    session.close();
    session = undefined;
    let previous: string | undefined;
    if (existsSync(target)) {
      previous = `${target}.before-restore-${stamp}`;
      renameSync(target, previous);
    }
    renameSync(staging, target);
    return { tables, rows, previous };
  } catch (err) {
    if (err instanceof OperationError) throw err;
    const message = (err as Error).message;
    // The engine names the database it did not find: the backup came from another VIGIL_CLICKHOUSE_DATABASE.
    const hint = /not found in backup|doesn't exist in backup|UNKNOWN_DATABASE|BACKUP_ENTRY_NOT_FOUND/i.test(message)
      ? ` (is VIGIL_CLICKHOUSE_DATABASE the same as when the backup was made?)`
      : "";
    throw new OperationError(`restore from ${file} failed; the current store is unchanged: ${message}${hint}`, (err as { retryable?: boolean }).retryable === true, { cause: err });
  } finally {
    session?.close();
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}
