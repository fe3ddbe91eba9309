import { describe, expect, it } from "vitest";
import { hashPassword, MAX_PASSWORD_LENGTH, passwordProblem, verifyDummy, verifyPassword, WeakPasswordError } from "./passwords.js";

describe("dashboard passwords", () => {
  it("hashes with scrypt, a salt per password and the parameters encoded", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("correct horse battery");
  });

  it("verifies the right password and refuses others", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batter", stored)).toBe(false);
    expect(await verifyPassword("Correct horse battery", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
    expect(await verifyPassword("x".repeat(MAX_PASSWORD_LENGTH + 1), stored)).toBe(false);
  });

  it("treats Unicode the same however it was composed", async () => {
    const stored = await hashPassword("caf\u00e9 au lait please");
    expect(await verifyPassword("cafe\u0301 au lait please", stored)).toBe(true);
  });

  it("never matches a malformed or hostile stored hash", async () => {
    const good = await hashPassword("correct horse battery");
    const [, , r, p, salt, key] = good.split("$");
    for (const stored of ["", "plain text", `scrypt$3$${r}$${p}$${salt}$${key}`, `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`, `scrypt$32768$0$1$${salt}$${key}`, good.replace("scrypt", "bcrypt")]) {
      expect(await verifyPassword("correct horse battery", stored), stored).toBe(false);
    }
  });

  it("has a dummy verification for unknown users that is always false", async () => {
    expect(await verifyDummy("correct horse battery")).toBe(false);
    expect(await verifyDummy("x".repeat(5000))).toBe(false);
  });

  it("enforces the policy: 10 to 200 characters, not only spaces", async () => {
    expect(passwordProblem("short")).toBe("must be at least 10 characters");
    expect(passwordProblem("x".repeat(201))).toBe("must be at most 200 characters");
    expect(passwordProblem(" ".repeat(12))).toBe("must not be only spaces");
    expect(passwordProblem("ten chars!")).toBeNull();
    // Characters, not UTF-16 units: ten emoji are ten characters.
    expect(passwordProblem("😀".repeat(10))).toBeNull();
    await expect(hashPassword("short")).rejects.toBeInstanceOf(WeakPasswordError);
    await expect(hashPassword("short")).rejects.toThrow("password must be at least 10 characters");
  });
});
