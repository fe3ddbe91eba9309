import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirBusyError, LOCK_FILE, lockDataDir } from "./data-dir-lock.js";

describe("lockDataDir", () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(path.join(tmpdir(), "vigil-lock-"));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("holds the directory until released, then lets the next holder in", () => {
    const d = dir();
    const lock = lockDataDir(d, "serve");
    expect(JSON.parse(readFileSync(path.join(d, LOCK_FILE), "utf8"))).toMatchObject({ pid: process.pid, holder: "serve" });
    let err: unknown;
    try {
      lockDataDir(d, "backup");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirBusyError);
    expect((err as Error).message).toMatch(/a collector \(pid \d+, since .*\) is using .*; stop it first/);
    expect((err as DataDirBusyError).retryable).toBe(true);
    lock.release();
    expect(existsSync(path.join(d, LOCK_FILE))).toBe(false);
    lockDataDir(d, "backup").release();
  });

  it("takes over a lock left by a process that is gone", () => {
    const d = dir();
    // A child that has exited: its pid is no longer running.
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: Number(gone.stdout), holder: "serve", since: "2026-01-01T00:00:00Z" }));
    const lock = lockDataDir(d, "restore");
    expect(JSON.parse(readFileSync(path.join(d, LOCK_FILE), "utf8")).holder).toBe("restore");
    lock.release();
  });

  it("takes over a torn lock file and does not mistake a recycled pid for the holder", () => {
    const d = dir();
    writeFileSync(path.join(d, LOCK_FILE), "{");
    lockDataDir(d, "serve").release();
    // pid 1 runs, but it is not the process that wrote this lock (different start time).
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: 1, holder: "serve", since: "x", processStart: "-1" }));
    lockDataDir(d, "serve").release();
    // A restarted container runs the collector as the same pid (1) as before the restart.
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: process.pid, holder: "serve", since: "x", processStart: "-1" }));
    lockDataDir(d, "serve").release();
  });
});
