import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, unlink } from "node:fs/promises";
import { resolve } from "node:path";
import { SpoolError, errnoOf, toSpoolError } from "./errors.js";

/** Who holds a lock: enough to tell a live holder from a dead one whose pid was reused. */
interface Owner {
  pid: number;
  /** Linux boot id: a lock from an earlier boot is stale whatever its pid. */
  bootId?: string;
  /** Linux process start time (clock ticks since boot): tells the holder from a later process with its pid. */
  start?: string;
}

// Locks this process holds, by path: a pid check cannot tell "this process" from "a dead one with our pid".
const heldHere = new Set<string>();

/** Exclusive hold on a spool directory, so two agents can never interleave writes in one spool. */
export class SpoolLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly content: string,
  ) {}

  /** Takes the lock, taking it over from a holder that is gone; SpoolError "locked" if a live one has it. */
  static async acquire(lockPath: string): Promise<SpoolLock> {
    const path = resolve(lockPath);
    if (heldHere.has(path)) {
      throw new SpoolError("locked", `spool is already open in this process (${path})`, false);
    }
    const content = JSON.stringify(await describeSelf());
    // Each round either takes the lock or clears away a stale one; more rounds only happen when
    // several processes race for the same stale lock.
    for (let round = 0; round < 5; round++) {
      if (await tryCreate(path, content)) {
        heldHere.add(path);
        return new SpoolLock(path, content);
      }
      let seen: string;
      try {
        seen = await readFile(path, "utf8");
      } catch (err) {
        if (errnoOf(err) === "ENOENT") continue;
        throw toSpoolError(err, `cannot read lock ${path}`);
      }
      const holder = await liveHolder(seen);
      if (holder !== null) {
        throw new SpoolError(
          "locked",
          `spool is in use by process ${holder} (lock ${path}); only one agent may use a spool directory`,
          true,
        );
      }
      await clearStale(path, seen);
    }
    throw new SpoolError("locked", `could not take lock ${path}: other processes keep taking it`, true);
  }

  /** Gives the lock up, unless someone has (wrongly) replaced it with theirs. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.path);
    try {
      if ((await readFile(this.path, "utf8")) === this.content) await unlink(this.path);
    } catch {
      // Already gone: nothing to give up.
    }
  }
}

// Creates the lock with its content in one step (write a private file, then hard-link it into place), so
// nobody ever sees an empty lock file: an empty one would be ambiguous between "being written" and "writer died".
async function tryCreate(path: string, content: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    const fh = await open(tmp, "wx", 0o600);
    try {
      await fh.writeFile(content, "utf8");
      // Durable content before the name exists: after a power cut the lock is whole or absent.
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await link(tmp, path);
      return true;
    } catch (err) {
      const code = errnoOf(err);
      if (code === "EEXIST") return false;
      if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS" || code === "EOPNOTSUPP") {
        return await createExclusive(path, content); // filesystem without hard links
      }
      throw err;
    }
  } catch (err) {
    throw toSpoolError(err, `cannot create lock ${path}`);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function createExclusive(path: string, content: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, "wx", 0o600);
  } catch (err) {
    if (errnoOf(err) === "EEXIST") return false;
    throw err;
  }
  try {
    await fh.writeFile(content, "utf8");
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

// Moves the stale lock aside atomically, then checks it really was the stale one: another process may have
// cleared it and taken the lock in between, and its fresh lock must then be put back, not deleted.
async function clearStale(path: string, seen: string): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if (errnoOf(err) === "ENOENT") return;
    throw toSpoolError(err, `cannot clear stale lock ${path}`);
  }
  const moved = await readFile(aside, "utf8").catch(() => null);
  if (moved !== seen) {
    await link(aside, path).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    throw new SpoolError("locked", `spool lock ${path} was just taken by another process`, true);
  }
  await unlink(aside).catch(() => undefined);
}

// Returns the pid of a live holder, or null if the lock is stale.
async function liveHolder(content: string): Promise<number | null> {
  let owner: Partial<Owner>;
  try {
    owner = JSON.parse(content) as Partial<Owner>;
  } catch {
    return null; // Locks are written whole (see tryCreate), so an unreadable one was never valid.
  }
  const pid = owner.pid;
  if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid <= 0) return null;
  const self = await describeSelf();
  if (owner.bootId && self.bootId && owner.bootId !== self.bootId) return null;
  // Not held by this process (checked by path before), so a lock carrying our pid is a predecessor's,
  // typical in containers where the agent is always pid 1.
  if (pid === process.pid) return null;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (errnoOf(err) !== "EPERM") return null; // ESRCH: no such process
  }
  const stat = await procStat(pid);
  if (stat) {
    if (stat.state === "Z" || stat.state === "X") return null;
    if (owner.start && stat.start !== owner.start) return null;
  }
  return pid;
}

async function describeSelf(): Promise<Owner> {
  const owner: Owner = { pid: process.pid };
  if (process.platform !== "linux") return owner;
  const bootId = await readFile("/proc/sys/kernel/random/boot_id", "utf8").catch(() => "");
  if (bootId.trim()) owner.bootId = bootId.trim();
  const stat = await procStat(process.pid);
  if (stat) owner.start = stat.start;
  return owner;
}

async function procStat(pid: number): Promise<{ state: string; start: string } | null> {
  if (process.platform !== "linux") return null;
  try {
    const text = await readFile(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses; fields after the last ')' are fixed.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const state = fields[0];
    const start = fields[19]; // field 22, starttime
    return state && start ? { state, start } : null;
  } catch {
    return null;
  }
}
