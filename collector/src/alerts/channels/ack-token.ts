/**
 * Signed, expiring acknowledgement tokens for the "Acknowledge" links in notifications. The link
 * itself is the credential (on-call staff tap it on a phone without logging in), so it is bound to one
 * alert, expires, and is signed with a key only the collector holds.
 *
 * Format: `<payload>.<signature>`, both base64url without padding. payload = JSON `{"a":alertId,"e":expiresAtMs}`;
 * signature = HMAC-SHA256(key, "vigil-ack.v1." + payload). The prefix keeps these signatures from being
 * valid for anything else the same key might sign.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { AckTokenError } from "./errors.js";

/** What an ack token grants: acknowledging this alert until this instant (epoch ms). */
export interface AckClaims {
  alertId: string;
  expiresAt: number;
}

/** Key material: a string (UTF-8) or raw bytes, at least 32 bytes either way. */
export type AckKey = string | Buffer;

const DOMAIN = "vigil-ack.v1.";
const MAX_TOKEN_LENGTH = 1024;
const MIN_KEY_BYTES = 32;

/** Signs an ack token for one alert that stops working at `expiresAt` (epoch ms). */
export function signAckToken(claims: AckClaims, key: AckKey): string {
  if (typeof claims.alertId !== "string" || claims.alertId.length === 0 || claims.alertId.length > 256) {
    throw new RangeError("alertId must be a non-empty string of at most 256 characters");
  }
  if (!Number.isSafeInteger(claims.expiresAt) || claims.expiresAt <= 0) throw new RangeError("expiresAt must be epoch milliseconds");
  const payload = Buffer.from(JSON.stringify({ a: claims.alertId, e: claims.expiresAt })).toString("base64url");
  return `${payload}.${mac(payload, key).toString("base64url")}`;
}

/**
 * Checks a token's signature, then its expiry, and returns what it grants. Throws AckTokenError:
 * `malformed` (not a token), `forged` (signature does not match this key) or `expired`.
 */
export function verifyAckToken(token: string, key: AckKey, now: number = Date.now()): AckClaims {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) throw new AckTokenError("malformed", "not an acknowledgement token");
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!m) throw new AckTokenError("malformed", "not an acknowledgement token");
  const payload = m[1]!;
  // Compared in its text form so only the canonical encoding passes (base64url has spare bits at the end).
  const presented = Buffer.from(m[2]!);
  const expected = Buffer.from(mac(payload, key).toString("base64url"));
  // Length first: timingSafeEqual throws on unequal lengths, and the length of a MAC is public anyway.
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new AckTokenError("forged", "acknowledgement link is not valid");
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw new AckTokenError("malformed", "not an acknowledgement token");
  }
  const { a, e } = (claims ?? {}) as { a?: unknown; e?: unknown };
  if (typeof a !== "string" || a.length === 0 || typeof e !== "number" || !Number.isSafeInteger(e)) {
    throw new AckTokenError("malformed", "not an acknowledgement token");
  }
  if (now >= e) throw new AckTokenError("expired", `acknowledgement link expired at ${new Date(e).toISOString()}`, e);
  return { alertId: a, expiresAt: e };
}

function mac(payload: string, key: AckKey): Buffer {
  const bytes = typeof key === "string" ? Buffer.byteLength(key) : key.length;
  if (bytes < MIN_KEY_BYTES) throw new RangeError(`ack signing key must be at least ${MIN_KEY_BYTES} bytes`);
  return createHmac("sha256", key).update(DOMAIN).update(payload).digest();
}
