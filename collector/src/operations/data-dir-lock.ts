import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

/** Name of the lock file inside VIGIL_DATA_DIR. */
export const LOCK_FILE = "vigil.lock";

/** What the lock file records about its holder. */
interface LockOwner {
  pid: number;
  /** `serve`, `backup` or `restore`. */
  holder: string;
  since: string;
  /** Kernel start time of the holder (Linux), so a recycled pid is not mistaken for the holder. */
  processStart?: string;
}

/**
 * Another process holds the data directory. Retrying helps once that process has stopped; the message
 * says which one it is.
 */
export class DataDirBusyError extends Error {
  readonly retryable = true;

  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      owner.holder === "serve"
        ? `a collector (pid ${owner.pid}, since ${owner.since}) is using ${dataDir}; stop it first (systemctl stop vigil), then run this again`
        : `vigil ${owner.holder} (pid ${owner.pid}, since ${owner.since}) is working on ${dataDir}; wait for it to finish, then run this again`,
    );
    this.name = "DataDirBusyError";
  }
}

/** An exclusive claim on a data directory, released by `release` (also at process exit). */
export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/**
 * Claims VIGIL_DATA_DIR for this process, so backup and restore never copy or replace an embedded
 * store that a running collector is writing. A lock left by a process that died is taken over.
 */
export function lockDataDir(dataDir: string, holder: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, holder, since: new Date().toISOString(), processStart: processStart(process.pid) };
  for (let attempt = 0; ; attempt++) {
    try {
      // O_EXCL: of two processes racing for the directory, exactly one creates the file.
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = readOwner(file);
      // A second EEXIST means another process took over the stale lock at the same moment: it won.
      if (attempt > 0 || (owner && isRunning(owner))) throw new DataDirBusyError(dataDir, owner ?? { pid: 0, holder: "unknown", since: "unknown" });
      // Left behind by a process that is gone (killed, crashed, power loss): take it over.
      rmSync(file, { force: true });
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    // Only our own claim is removed, never one a later process took over.
    if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.on("exit", release);
  return { file, release };
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, "utf8")) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : null;
  } catch {
    // Missing or torn (the writer died between create and write): treated as stale.
    return null;
  }
}

function isRunning(owner: LockOwner): boolean {
  if (owner.pid !== process.pid) {
    try {
      process.kill(owner.pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
    }
  }
  // The pid is alive (or is this process: a container restarts its main process as the same pid). It
  // is the holder unless its start time says it is another process that got the same pid.
  const start = processStart(owner.pid);
  return owner.processStart === undefined || start === undefined || start === owner.processStart;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined off Linux. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses; fields after it are plain.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}
