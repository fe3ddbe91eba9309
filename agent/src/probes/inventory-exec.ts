import { execFile } from "node:child_process";

/** How long one inventory tool may run, and how much output it may produce. */
export interface ToolLimits {
  timeoutMs?: number;
  maxBytes?: number;
  /** Keep the output whatever the exit status (smartctl reports a failing disk through it). */
  anyExitCode?: boolean;
}

/**
 * Runs a platform tool (never through a shell) and returns its standard output, or null when it is missing,
 * fails or times out. The C locale keeps the output parseable whatever the host's language.
 */
export function runTool(file: string, args: readonly string[], limits: ToolLimits = {}): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        timeout: limits.timeoutMs ?? 60_000,
        maxBuffer: limits.maxBytes ?? 64 * 1024 * 1024,
        windowsHide: true,
        encoding: "utf8",
        env: { ...process.env, LC_ALL: "C", LANG: "C" },
      },
      (err, stdout) => {
        const started = !err || typeof (err as NodeJS.ErrnoException).code === "number";
        resolve(!err || (limits.anyExitCode && started && !err.killed) ? stdout : null);
      },
    );
  });
}

/** Cuts a string to `max` characters (inventory fields have limits; a freak value must not void the document). */
export function clamp(value: unknown, max: number): string {
  const s = typeof value === "string" ? value.trim() : value === undefined || value === null ? "" : String(value).trim();
  return s.length > max ? s.slice(0, max) : s;
}
