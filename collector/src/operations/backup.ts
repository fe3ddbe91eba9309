import { existsSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import type { CollectorConfig } from "../config.js";
import { archivePath } from "./archive-name.js";
import { lockDataDir } from "./data-dir-lock.js";
import { EmbeddedSession } from "./embedded-session.js";
import { OperationError } from "./errors.js";

/** What `vigil backup` wrote. */
export interface BackupResult {
  file: string;
  tables: number;
  rows: number;
  bytes: number;
}

/**
 * Writes the embedded store's database into one archive with ClickHouse's own BACKUP (consistent per
 * table, readable by RESTORE on any ClickHouse of the same or a newer version). The collector must be
 * stopped: the data directory's lock says whether it is. Agents keep their samples in their spools
 * meanwhile and deliver them once the collector is back, so a backup loses no data.
 */
export async function backupEmbeddedStore(config: CollectorConfig, out: string): Promise<BackupResult> {
  if (config.clickhouse.kind !== "embedded") {
    throw new OperationError(
      "vigil backup copies the embedded store; with VIGIL_CLICKHOUSE_URL, back up the ClickHouse server itself (BACKUP DATABASE ... TO Disk/S3, see deploy/README.md)",
      false,
    );
  }
  const file = archivePath(out);
  if (existsSync(file)) throw new OperationError(`${file} already exists; choose another name (a backup never overwrites)`, false);
  const dir = path.dirname(file);
  if (!existsSync(dir)) throw new OperationError(`directory ${dir} does not exist`, false);
  const store = config.clickhouse.path;
  if (!existsSync(store)) throw new OperationError(`no embedded store at ${store}: is VIGIL_DATA_DIR right?`, false);

  const lock = lockDataDir(config.dataDir, "backup");
  // Written under a temporary name and renamed when complete: a file with the final name is always whole.
  const partial = path.join(dir, `.partial-${process.pid}-${path.basename(file)}`);
  let session: EmbeddedSession | undefined;
  try {
    session = new EmbeddedSession(store, realpathSync(dir));
    const database = config.clickhouse.database;
    const { tables, rows } = await session.contents(database);
    if (tables === 0) throw new OperationError(`the embedded store at ${store} has no database "${database}" to back up`, false);
    // The database name is a checked identifier (config); the file name travels as a bound parameter.
    await session.query(`BACKUP DATABASE ${database} TO File({file:String})`, { file: partial });
    session.close();
    session = undefined;
    renameSync(partial, file);
    return { file, tables, rows, bytes: statSync(file).size };
  } finally {
    session?.close();
    rmSync(partial, { force: true, recursive: true });
    rmSync(`${partial}.lock`, { force: true });
    lock.release();
  }
}
