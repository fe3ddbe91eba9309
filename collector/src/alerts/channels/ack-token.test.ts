import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signAckToken, verifyAckToken } from "./ack-token.js";
import { AckTokenError } from "./errors.js";

const key = randomBytes(32);
const now = Date.parse("2026-03-02T08:15:00Z");
const claims = { alertId: "al_7Qm2xP", expiresAt: now + 3600_000 };

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AckTokenError);
    expect((e as AckTokenError).retryable).toBe(false);
    return (e as AckTokenError).reason;
  }
  throw new Error("expected an AckTokenError");
}

describe("ack tokens", () => {
  it("round-trips the alert id and expiry and is URL-safe", () => {
    const token = signAckToken(claims, key);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyAckToken(token, key, now)).toEqual(claims);
    expect(verifyAckToken(token, key, claims.expiresAt - 1)).toEqual(claims);
  });

  it("accepts a string key of at least 32 bytes and refuses shorter keys", () => {
    const stringKey = "k".repeat(32);
    expect(verifyAckToken(signAckToken(claims, stringKey), stringKey, now).alertId).toBe("al_7Qm2xP");
    expect(() => signAckToken(claims, "short")).toThrow(RangeError);
  });

  it("expires at expiresAt", () => {
    const token = signAckToken(claims, key);
    expect(reasonOf(() => verifyAckToken(token, key, claims.expiresAt))).toBe("expired");
    expect(() => verifyAckToken(token, key, claims.expiresAt + 1)).toThrow(expect.objectContaining({ reason: "expired", expiredAt: claims.expiresAt }));
  });

  it("refuses a token signed with another key", () => {
    const token = signAckToken(claims, randomBytes(32));
    expect(reasonOf(() => verifyAckToken(token, key, now))).toBe("forged");
  });

  it("refuses a token whose payload was changed to another alert or a later expiry", () => {
    const [, signature] = signAckToken(claims, key).split(".");
    for (const forged of [{ a: "al_other", e: claims.expiresAt }, { a: claims.alertId, e: claims.expiresAt + 86_400_000 }]) {
      const payload = Buffer.from(JSON.stringify(forged)).toString("base64url");
      expect(reasonOf(() => verifyAckToken(`${payload}.${signature}`, key, now))).toBe("forged");
    }
  });

  it("reports a forged expired token as forged, not expired", () => {
    const token = signAckToken({ alertId: "al_x", expiresAt: now - 1000 }, randomBytes(32));
    expect(reasonOf(() => verifyAckToken(token, key, now))).toBe("forged");
  });

  it("refuses a truncated signature, a non-canonical encoding and garbage", () => {
    const token = signAckToken(claims, key);
    expect(reasonOf(() => verifyAckToken(token.slice(0, -2), key, now))).toBe("forged");
    // The last base64url character of a 32-byte MAC carries 2 spare bits: flipping them keeps the bytes.
    const last = token.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(reasonOf(() => verifyAckToken(token.slice(0, -1) + sibling, key, now))).toBe("forged");
    for (const bad of ["", "nodot", "a.b.c", "pay load.sig", "x".repeat(2000) + ".y"]) {
      expect(reasonOf(() => verifyAckToken(bad, key, now))).toBe("malformed");
    }
  });
});
