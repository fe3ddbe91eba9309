import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A bearer secret split into its public id and its secret part: `<prefix>_<id>_<secret>`. */
export interface ParsedToken {
  prefix: string;
  id: string;
  secret: string;
}

/** Creates a token `<prefix>_<id>_<secret>` with 256 bits of secret; only its hash should be stored. */
export function generateToken(prefix: string, id: string): string {
  return `${prefix}_${id}_${randomBytes(32).toString("base64url")}`;
}

/** Splits a token into prefix, id and secret, or returns null when it does not have that shape. */
export function parseToken(token: string, prefix: string): ParsedToken | null {
  if (token.length > 200) return null;
  const m = /^([a-z]+)_([A-Za-z0-9-]{1,64})_([A-Za-z0-9_-]{20,100})$/.exec(token);
  if (!m || m[1] !== prefix) return null;
  return { prefix, id: m[2]!, secret: m[3]! };
}

/**
 * Hash stored in place of a token. The secrets are 256 random bits, so a fast hash is enough:
 * there is nothing to brute-force, and verification stays cheap for thousands of reconnecting agents.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Compares a presented token with a stored hash in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A new random id for clients, sites, tokens and agents. */
export function newId(): string {
  return randomBytes(12).toString("base64url").replace(/[_-]/g, "x");
}

/** Version for ReplacingMergeTree rows: strictly increasing within this process, time-ordered across processes. */
export function nextVersion(): number {
  const now = Date.now() * 1000;
  lastVersion = now > lastVersion ? now : lastVersion + 1;
  return lastVersion;
}
let lastVersion = 0;
