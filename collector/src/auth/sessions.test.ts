import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../api/testing.js";
import { findSession } from "../store/queries/sessions.js";
import { saveUser, type UserRow } from "../store/queries/users.js";
import { hashToken } from "./secrets.js";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SessionService } from "./sessions.js";

describe("session service", () => {
  let t: TestApi;
  // Near the real time: rows past the table's TTL would be dropped by the store itself.
  let now = Date.now();
  let service: SessionService;
  const user: UserRow = { id: "u-sess", username: "sess", passwordHash: "scrypt$x", role: "technician", clientId: "", disabled: false, createdAt: now, createdBy: "test", updatedAt: now };

  beforeAll(async () => {
    t = await createTestApi();
    await saveUser(t.store, user);
    service = new SessionService(t.store, () => now);
  });
  afterAll(async () => {
    await t.close();
  });

  it("stores only the sha256 of a random 32-byte token", async () => {
    const { token, session } = await service.create(user);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.id).toBe(hashToken(token));
    const rows = await t.store.query<{ id: string }>("SELECT id FROM sessions FINAL");
    expect(rows.map((r) => r.id)).toContain(session.id);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect((await service.resolve(token))?.user.username).toBe("sess");
    expect(await service.resolve(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"))).toBeNull();
    expect(await service.resolve("short")).toBeNull();
  });

  it("ends a session after 2 hours idle, and keeps a busy one alive until 12 hours", async () => {
    const idle = await service.create(user);
    const busy = await service.create(user);
    // The busy one is used every 90 minutes; its last-seen is written when older than a few minutes.
    for (let i = 0; i < 7; i++) {
      now += 90 * 60_000;
      expect(await service.resolve(busy.token), `after ${(i + 1) * 90} min`).not.toBeNull();
    }
    expect(await service.resolve(idle.token)).toBeNull();
    expect((await findSession(t.store, busy.session.id))!.lastSeenAt).toBe(now);
    now = busy.session.createdAt + SESSION_ABSOLUTE_MS;
    expect(await service.resolve(busy.token)).toBeNull();
    expect(SESSION_IDLE_MS).toBe(2 * 3_600_000);
  });

  it("drops cached sessions at once on logout and when the user's sessions are revoked", async () => {
    const a = await service.create(user);
    const b = await service.create(user);
    expect(await service.resolve(a.token)).not.toBeNull();
    expect(await service.resolve(b.token)).not.toBeNull();
    await service.revokeToken(a.token);
    expect(await service.resolve(a.token)).toBeNull();
    expect(await service.resolve(b.token)).not.toBeNull();
    await service.revokeUser(user.id);
    expect(await service.resolve(b.token)).toBeNull();
    expect((await findSession(t.store, b.session.id))!.revoked).toBe(true);
  });

  it("refuses the sessions of a disabled user once its cache entry is dropped", async () => {
    const s = await service.create(user);
    expect(await service.resolve(s.token)).not.toBeNull();
    await saveUser(t.store, { ...user, disabled: true });
    service.forgetUser(user.id);
    expect(await service.resolve(s.token)).toBeNull();
    await saveUser(t.store, user);
  });
});
