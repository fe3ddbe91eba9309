import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, loginUser, TEST_PASSWORD, type TestApi } from "../testing.js";

describe("dashboard sessions (/api/v1/session)", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  const asCookie = (cookie: string, extra: Record<string, string> = {}) => ({ token: null, headers: { cookie, ...extra } });

  it("logs in with username and password and sets the session cookie with the right flags", async () => {
    const created = await t.call("POST", "/api/v1/users", { body: { username: "Alice", password: TEST_PASSWORD, role: "technician" } });
    expect(created.status).toBe(201);
    // Usernames compare case-insensitively.
    const res = await t.call("POST", "/api/v1/session", { token: null, body: { username: "alice", password: TEST_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: { id: created.body.id, username: "Alice", role: "technician", clientId: null } });
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^vigil_session=[A-Za-z0-9_-]{43};/);
    const flags = setCookie.split(";").slice(1).map((f) => f.trim());
    expect(flags).toEqual(expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=43200"]));
    expect(flags).not.toContain("Secure");

    const cookie = /vigil_session=[^;]+/.exec(setCookie)![0];
    const me = await t.call("GET", "/api/v1/session", asCookie(cookie));
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual({ id: created.body.id, username: "Alice", role: "technician", clientId: null });
    // The session works for the rest of the API as well.
    expect((await t.call("GET", "/api/v1/clients", asCookie(cookie))).status).toBe(200);
  });

  it("marks the cookie Secure when the request came over https (directly or through a proxy)", async () => {
    await t.call("POST", "/api/v1/users", { body: { username: "secure-sam", password: TEST_PASSWORD, role: "vcio" } });
    const direct = await t.app.request("https://vigil.example/api/v1/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "secure-sam", password: TEST_PASSWORD }),
    });
    expect(direct.headers.get("set-cookie")).toMatch(/; Secure/);
    const proxied = await t.call("POST", "/api/v1/session", { token: null, headers: { "x-forwarded-proto": "https" }, body: { username: "secure-sam", password: TEST_PASSWORD } });
    expect(proxied.headers.get("set-cookie")).toMatch(/; Secure/);
  });

  it("answers a wrong password and an unknown user with the same 401 and no cookie", async () => {
    await t.call("POST", "/api/v1/users", { body: { username: "bob", password: TEST_PASSWORD, role: "technician" } });
    const wrong = await t.call("POST", "/api/v1/session", { token: null, body: { username: "bob", password: "not the password" } });
    const unknown = await t.call("POST", "/api/v1/session", { token: null, body: { username: "nobody-here", password: "not the password" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: "invalid_credentials", message: "invalid username or password" } });
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(unknown.headers.get("set-cookie")).toBeNull();
  });

  it("refuses logins with 429 and Retry-After after 5 failures for one username, even with the right password", async () => {
    await t.call("POST", "/api/v1/users", { body: { username: "carol", password: TEST_PASSWORD, role: "technician" } });
    for (let i = 0; i < 5; i++) {
      expect((await t.call("POST", "/api/v1/session", { token: null, body: { username: "carol", password: `guess number ${i}` } })).status).toBe(401);
    }
    const throttled = await t.call("POST", "/api/v1/session", { token: null, body: { username: "CAROL", password: TEST_PASSWORD } });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe("too_many_requests");
    const retryAfter = Number(throttled.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(throttled.headers.get("set-cookie")).toBeNull();
    // Another username from the same place is not affected by carol's failures.
    await t.call("POST", "/api/v1/users", { body: { username: "dave", password: TEST_PASSWORD, role: "technician" } });
    expect((await t.call("POST", "/api/v1/session", { token: null, body: { username: "dave", password: TEST_PASSWORD } })).status).toBe(200);
  });

  it("refuses logins from one address after 20 failures across usernames", async () => {
    const from = (address: string, username: string, password: string) =>
      t.app.request(
        "/api/v1/session",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) },
        { incoming: { socket: { remoteAddress: address } } },
      );
    await t.call("POST", "/api/v1/users", { body: { username: "erin", password: TEST_PASSWORD, role: "technician" } });
    for (let i = 0; i < 20; i++) expect((await from("192.0.2.7", `spray-${i}`, "Winter2026!!")).status).toBe(401);
    expect((await from("192.0.2.7", "erin", TEST_PASSWORD)).status).toBe(429);
    expect((await from("192.0.2.8", "erin", TEST_PASSWORD)).status).toBe(200);
  });

  it("counts a local reverse proxy's clients by X-Forwarded-For, and ignores that header from anyone else", async () => {
    const via = (peer: string, forwardedFor: string, username: string, password: string) =>
      t.app.request(
        "/api/v1/session",
        { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor }, body: JSON.stringify({ username, password }) },
        { incoming: { socket: { remoteAddress: peer } } },
      );
    await t.call("POST", "/api/v1/users", { body: { username: "fay", password: TEST_PASSWORD, role: "technician" } });
    // Through the proxy on loopback: one client's failures do not lock out another client.
    for (let i = 0; i < 20; i++) expect((await via("127.0.0.1", "203.0.113.9", `proxied-${i}`, "Winter2026!!")).status).toBe(401);
    expect((await via("127.0.0.1", "203.0.113.9", "fay", TEST_PASSWORD)).status).toBe(429);
    expect((await via("127.0.0.1", "198.51.100.4", "fay", TEST_PASSWORD)).status).toBe(200);
    // A client talking to the collector directly cannot pick its address with the header.
    for (let i = 0; i < 20; i++) expect((await via("192.0.2.20", `10.0.0.${i}`, `direct-${i}`, "Winter2026!!")).status).toBe(401);
    expect((await via("192.0.2.20", "10.0.0.99", "fay", TEST_PASSWORD)).status).toBe(429);
  });

  it("refuses a cookie-authenticated change without X-Vigil-Request (403), and changes nothing", async () => {
    const { cookie } = await loginUser(t, "frank", "admin");
    const before = await t.snapshot("clients");
    const res = await t.call("POST", "/api/v1/clients", { ...asCookie(cookie), body: { name: "Forged" } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: "forbidden", message: "missing X-Vigil-Request header" } });
    expect(await t.snapshot("clients")).toBe(before);
    // With the header, the same request goes through; reads never need it.
    const ok = await t.call("POST", "/api/v1/users", { ...asCookie(cookie, { "x-vigil-request": "1" }), body: { username: "frank2", password: TEST_PASSWORD, role: "vcio" } });
    expect(ok.status).toBe(201);
    // The audit names the user.
    const audit = await t.store.query<{ actor: string }>("SELECT actor FROM audit_log WHERE entity = 'user' AND entity_id = {id:String}", { id: ok.body.id });
    expect(audit).toEqual([{ actor: "user:frank" }]);
  });

  it("logout ends the session: the cookie no longer works", async () => {
    const { cookie } = await loginUser(t, "grace", "technician");
    expect((await t.call("GET", "/api/v1/session", asCookie(cookie))).status).toBe(200);
    const out = await t.call("DELETE", "/api/v1/session", asCookie(cookie, { "x-vigil-request": "1" }));
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^vigil_session=;.*Max-Age=0/);
    const after = await t.call("GET", "/api/v1/session", asCookie(cookie));
    expect(after.status).toBe(401);
    expect((await t.call("GET", "/api/v1/clients", asCookie(cookie))).status).toBe(401);
    // Logging out without a session is fine.
    expect((await t.call("DELETE", "/api/v1/session", { token: null })).status).toBe(204);
  });

  it("refuses a disabled user at once, and lets them in again when enabled", async () => {
    const { id, cookie } = await loginUser(t, "heidi", "technician");
    expect((await t.call("GET", "/api/v1/clients", asCookie(cookie))).status).toBe(200);
    expect((await t.call("PATCH", `/api/v1/users/${id}`, { body: { disabled: true } })).status).toBe(200);
    expect((await t.call("GET", "/api/v1/clients", asCookie(cookie))).status).toBe(401);
    expect((await t.call("POST", "/api/v1/session", { token: null, body: { username: "heidi", password: TEST_PASSWORD } })).status).toBe(401);
    expect((await t.call("PATCH", `/api/v1/users/${id}`, { body: { disabled: false } })).status).toBe(200);
    // The old session stays ended; a new login works.
    expect((await t.call("GET", "/api/v1/clients", asCookie(cookie))).status).toBe(401);
    expect((await t.call("POST", "/api/v1/session", { token: null, body: { username: "heidi", password: TEST_PASSWORD } })).status).toBe(200);
  });

  it("gives a viewer's session a viewer principal limited to its client", async () => {
    const { clientId } = await t.seedClientAndSite("Viewer Co");
    const { cookie } = await loginUser(t, "ivan", "viewer", clientId);
    const me = await t.call("GET", "/api/v1/session", asCookie(cookie));
    expect(me.body.user).toMatchObject({ username: "ivan", role: "viewer", clientId });
    // Admin-only routes stay closed to it.
    expect((await t.call("GET", "/api/v1/users", asCookie(cookie))).status).toBe(403);
  });

  it("answers GET /session for the admin token, and 401 without a credential", async () => {
    const admin = await t.call("GET", "/api/v1/session");
    expect(admin.status).toBe(200);
    expect(admin.body.user).toEqual({ id: "admin-token", username: "admin-token", role: "admin", clientId: null });
    expect((await t.call("GET", "/api/v1/session", { token: null })).status).toBe(401);
    expect((await t.call("GET", "/api/v1/session", asCookie("vigil_session=" + "x".repeat(43)))).status).toBe(401);
  });

  it("refuses bad login input with 400 naming the field", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ username: 42, password: TEST_PASSWORD }, /^username: /],
      [{ username: "alice" }, /^password: required/],
      [{ username: "alice", password: TEST_PASSWORD, remember: true }, /^remember: unknown field/],
      [{ username: "a".repeat(10_000), password: TEST_PASSWORD }, /^username: /],
      [{ username: "alice", password: "p".repeat(500) }, /^password: /],
    ];
    for (const [body, message] of cases) {
      const res = await t.call("POST", "/api/v1/session", { token: null, body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it("never puts a password hash or a session token in a response or a log line", async () => {
    const { cookie, id } = await loginUser(t, "judy", "admin");
    const token = cookie.split("=")[1]!;
    const list = await t.call("GET", "/api/v1/users");
    await t.call("PATCH", `/api/v1/users/${id}`, { body: { password: "another good passphrase" } });
    const audit = await t.store.query("SELECT * FROM audit_log WHERE entity = 'user'");
    expect(audit.length).toBeGreaterThan(0);
    const [row] = await t.store.query<{ h: string }>("SELECT password_hash AS h FROM users FINAL WHERE id = {id:String}", { id });
    const hash = row!.h;
    expect(hash).toMatch(/^scrypt\$/);
    const salt = hash.split("$")[4]!;
    const everything = [JSON.stringify(list.body), JSON.stringify(audit), ...t.logs].join("\n");
    for (const secret of [hash, salt, hash.split("$")[5]!, token, TEST_PASSWORD, "another good passphrase"]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/scrypt\$/);
  });
});
