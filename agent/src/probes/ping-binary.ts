import { constants } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";

// Service managers often start the agent with a short PATH, so look where ping usually lives too.
const USUAL_DIRS = ["/bin", "/usr/bin", "/sbin", "/usr/sbin"];

/** Thrown (and reported) when ping checks are configured but the `ping` command is missing. */
export class PingUnavailableError extends Error {
  /** Running the check again cannot succeed until someone installs ping. */
  readonly retryable = false;

  constructor() {
    super(
      "the 'ping' command is not installed (Debian/Ubuntu: apt-get install iputils-ping; " +
        "RHEL/Fedora: dnf install iputils); ping checks are skipped",
    );
    this.name = "PingUnavailableError";
  }
}

/** Full path of the system `ping` command, or null when it is not installed. */
export async function findPingBinary(): Promise<string | null> {
  const windows = process.platform === "win32";
  const name = windows ? "ping.exe" : "ping";
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter((d) => d.length > 0);
  if (windows) {
    if (process.env.SystemRoot) dirs.push(path.join(process.env.SystemRoot, "System32"));
  } else {
    dirs.push(...USUAL_DIRS);
  }
  for (const dir of new Set(dirs)) {
    const candidate = path.join(dir, name);
    try {
      // X_OK is not checked on Windows; existence is what matters there.
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}
