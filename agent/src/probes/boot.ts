import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";

const LINUX_BOOT_ID = "/proc/sys/kernel/random/boot_id";

let cached: string | undefined;

/** The host's boot id: changes on every boot, stable for the life of this process. */
export function readBootId(): string {
  // A process cannot outlive the boot it started in, so the first answer holds for good.
  cached ??= readLinuxBootId() ?? deriveBootId(os.hostname(), os.uptime(), Date.now());
  return cached;
}

/** A boot id derived from the host name and boot time, for systems without a kernel boot id. */
export function deriveBootId(hostname: string, uptimeSeconds: number, nowMs: number): string {
  // Boot time from wall clock minus uptime jitters by a second or so (clock slew, whole-second
  // uptimes), so it is rounded to the minute; two boots within one minute share an id.
  const bootMinute = Math.round((nowMs / 1000 - uptimeSeconds) / 60);
  const digest = createHash("sha256").update(`${hostname}\n${bootMinute}`).digest("hex");
  return `derived-${digest.slice(0, 32)}`;
}

function readLinuxBootId(): string | null {
  if (process.platform !== "linux") return null;
  try {
    const id = readFileSync(LINUX_BOOT_ID, "utf8").trim();
    return id.length > 0 ? id : null;
  } catch {
    // Hardened kernels and some sandboxes hide /proc/sys; fall back to the derived id.
    return null;
  }
}
