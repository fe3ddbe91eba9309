import { readFileSync } from "node:fs";
import path from "node:path";
import { DEPLOY_AGENT_DIR } from "./downloads.js";

/** The placeholder in install.sh and install.ps1 that the collector replaces with its public URL. */
export const PUBLIC_URL_PLACEHOLDER = "__VIGIL_PUBLIC_URL__";

/**
 * An install script with this collector's public URL baked in, so the one-liner needs only the token.
 * The URL was checked at start-up to hold no quoting characters (config.ts), and the scripts keep it in
 * single quotes.
 */
export function installScript(name: "install.sh" | "install.ps1", publicUrl: string): string {
  return readFileSync(path.join(DEPLOY_AGENT_DIR, name), "utf8").replaceAll(PUBLIC_URL_PLACEHOLDER, publicUrl);
}
