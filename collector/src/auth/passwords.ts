import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

// Dashboard passwords: scrypt (memory-hard, in node:crypto, no native add-on) with a salt per password and the
// parameters stored beside the hash, so they can be raised later without invalidating existing passwords.

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest password accepted (scrypt reads all of it; this bounds the work one request can cause). */
export const MAX_PASSWORD_LENGTH = 200;

/** scrypt cost parameters for new hashes: N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds). */
const PARAMS = { N: 32768, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bounds on stored parameters: a corrupt or hostile row must not make verification take minutes or gigabytes.
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

/** A password that the policy refuses; `message` says why and is safe to show. */
export class WeakPasswordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WeakPasswordError";
  }
}

/** The policy's objection to a password, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() === "") return "must not be only spaces";
  return null;
}

/** Hashes a password that meets the policy (throws {@link WeakPasswordError} otherwise): `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new WeakPasswordError(`password ${problem}`);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Whether the password matches the stored hash; compared in constant time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  // Still do the work, so a broken row takes as long as a real one.
  if (!parsed) return verifyDummy(password).then(() => false);
  if ([...password].length > MAX_PASSWORD_LENGTH) return verifyDummy("x").then(() => false);
  const key = await derive(password, parsed.salt, parsed.key.length, parsed);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends as long as verifying a real password, and is always false: used for unknown users, so the time a
 * login takes does not tell whether the username exists.
 */
export async function verifyDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(24).toString("base64url"));
  const stored = parseHash(await dummyHash)!;
  const key = await derive(password.slice(0, MAX_PASSWORD_LENGTH), stored.salt, stored.key.length, stored);
  timingSafeEqual(key, stored.key);
  return false;
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const m = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,128})\$([A-Za-z0-9_-]{16,128})$/.exec(stored);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return null;
  return { N, r, p, salt: Buffer.from(m[4]!, "base64url"), key: Buffer.from(m[5]!, "base64url") };
}

function derive(password: string, salt: Buffer, length: number, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
