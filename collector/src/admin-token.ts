import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { generateToken, hashToken, newId } from "./auth/secrets.js";

/** The bootstrap admin token's hash, and the token itself when it was just generated (to show once). */
export interface AdminToken {
  hash: string;
  generated?: string;
  file?: string;
}

/**
 * Uses VIGIL_ADMIN_TOKEN when set; otherwise the token generated on first start, kept in the data
 * directory with mode 0600 so scripts keep working across restarts.
 */
export function resolveAdminToken(configured: string | undefined, dataDir: string): AdminToken {
  if (configured) return { hash: hashToken(configured) };
  const file = path.join(dataDir, "admin-token");
  if (existsSync(file)) return { hash: hashToken(readFileSync(file, "utf8").trim()), file };
  mkdirSync(dataDir, { recursive: true });
  const token = generateToken("vgadm", newId());
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: "wx" });
  return { hash: hashToken(token), generated: token, file };
}
