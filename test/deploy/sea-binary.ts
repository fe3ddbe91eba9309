import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../support/processes.js";

/** Name of the single executable for the machine the tests run on. */
export const HOST_BINARY = `vigil-agent-${process.platform === "win32" ? "win" : process.platform}-${process.arch}`;

/**
 * Builds the single-executable agent for this machine into `dir`, from the running node binary (no
 * download), the way `npm run build:agent-bin -- --targets host` does. Needs the agent built (dist/cli.js).
 */
export async function buildHostBinary(dir: string): Promise<string> {
  // Asynchronous on purpose: a test blocked for seconds lets its HTTP keep-alive sockets go stale.
  const r = await promisify(execFile)(process.execPath, [path.join(ROOT, "agent/scripts/build-sea.mjs"), "--targets", "host", "--out", dir]).catch((err: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`build-sea failed: ${err.message}\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  });
  const file = path.join(dir, HOST_BINARY);
  if (!existsSync(file)) throw new Error(`build-sea did not write ${file}:\n${r.stdout}`);
  return file;
}
