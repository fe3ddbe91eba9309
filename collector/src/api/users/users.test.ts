import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, loginUser, TEST_PASSWORD, type TestApi } from "../testing.js";

describe("dashboard users (/api/v1/users)", () => {
  let t: TestApi;
  let clientId: string;
  beforeAll(async () => {
    t = await createTestApi();
    ({ clientId } = await t.seedClientAndSite("Users Co"));
  });
  afterAll(async () => {
    await t.close();
  });

  const cookieOf = (cookie: string) => ({ token: null, headers: { cookie, "x-vigil-request": "1" } });
  const auditOf = (id: string) =>
    t.store.query<{ action: string; actor: string; client_id: string; detail: string }>(
      "SELECT action, actor, client_id, detail FROM audit_log WHERE entity = 'user' AND entity_id = {id:String} ORDER BY at",
      { id },
    );

  it("creates, lists, shows, changes and deletes users, auditing each change without the password", async () => {
    const created = await t.call("POST", "/api/v1/users", { body: { username: "tina", password: TEST_PASSWORD, role: "technician" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      username: "tina",
      role: "technician",
      clientId: null,
      disabled: false,
      createdAt: expect.any(String),
      createdBy: "admin-token",
      updatedAt: expect.any(String),
    });
    const id = created.body.id;
    expect((await t.call("GET", "/api/v1/users")).body.items.map((u: { username: string }) => u.username)).toContain("tina");
    expect((await t.call("GET", `/api/v1/users/${id}`)).body.username).toBe("tina");

    const patched = await t.call("PATCH", `/api/v1/users/${id}`, { body: { role: "viewer", clientId } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ role: "viewer", clientId });
    // Changing nothing writes nothing.
    const before = await t.snapshot("users");
    expect((await t.call("PATCH", `/api/v1/users/${id}`, { body: { role: "viewer" } })).status).toBe(200);
    expect(await t.snapshot("users")).toBe(before);
    // Leaving the viewer role drops the client.
    expect((await t.call("PATCH", `/api/v1/users/${id}`, { body: { role: "vcio" } })).body.clientId).toBeNull();

    expect((await t.call("DELETE", `/api/v1/users/${id}`)).status).toBe(204);
    expect((await t.call("GET", `/api/v1/users/${id}`)).status).toBe(404);
    expect((await t.call("DELETE", `/api/v1/users/${id}`)).status).toBe(404);

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(["create", "update", "update", "delete"]);
    expect(audit.every((a) => a.client_id === "" && a.actor === "admin-token")).toBe(true);
    expect(audit.map((a) => a.detail).join()).not.toMatch(/scrypt|password_?hash|correct horse/i);
  });

  it("keeps usernames unique case-insensitively (409)", async () => {
    expect((await t.call("POST", "/api/v1/users", { body: { username: "Uma", password: TEST_PASSWORD, role: "vcio" } })).status).toBe(201);
    const dup = await t.call("POST", "/api/v1/users", { body: { username: "uMA", password: TEST_PASSWORD, role: "vcio" } });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toEqual({ code: "conflict", message: "username: uMA is already taken" });
  });

  it("requires an existing client for a viewer and refuses one for other roles", async () => {
    const cases: Array<[object, string]> = [
      [{ role: "viewer" }, "clientId: required for a viewer (the one client they may see)"],
      [{ role: "viewer", clientId: "no-such-client" }, "clientId: no client with id no-such-client"],
      [{ role: "technician", clientId }, "clientId: only a viewer is limited to one client; leave it out for other roles"],
    ];
    for (const [extra, message] of cases) {
      const before = await t.snapshot("users");
      const res = await t.call("POST", "/api/v1/users", { body: { username: "victor", password: TEST_PASSWORD, ...extra } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(message);
      expect(await t.snapshot("users")).toBe(before);
    }
    const ok = await t.call("POST", "/api/v1/users", { body: { username: "victor", password: TEST_PASSWORD, role: "viewer", clientId } });
    expect(ok.body.clientId).toBe(clientId);
  });

  it("refuses bad input with 400 naming the field, and stores nothing", async () => {
    const good = { username: "walter", password: TEST_PASSWORD, role: "technician" };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, username: 7 }, /^username: /],
      [{ ...good, username: "x".repeat(5000) }, /^username: /],
      [{ ...good, username: "bad name" }, /^username: may contain letters/],
      [{ ...good, role: "root" }, /^role: /],
      [{ ...good, password: "short" }, /^password: must be at least 10 characters$/],
      [{ ...good, password: "p".repeat(201) }, /^password: /],
      [{ ...good, isAdmin: true }, /^isAdmin: unknown field$/],
      [{ ...good, passwordHash: "scrypt$1$1$1$aaaa$bbbb" }, /^passwordHash: unknown field$/],
      [{ username: "walter", role: "technician" }, /^password: required$/],
    ];
    for (const [body, message] of cases) {
      const before = await t.snapshot("users");
      const res = await t.call("POST", "/api/v1/users", { body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(await t.snapshot("users")).toBe(before);
    }
    const { body: u } = await t.call("POST", "/api/v1/users", { body: good });
    for (const [body, message] of [
      [{ disabled: "yes" }, /^disabled: /],
      [{ password: "tiny" }, /^password: must be at least 10 characters$/],
      [{ username: "renamed" }, /^username: unknown field$/],
    ] as const) {
      const before = await t.snapshot("users");
      const res = await t.call("PATCH", `/api/v1/users/${u.id}`, { body });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(await t.snapshot("users")).toBe(before);
    }
  });

  it("is for admins only", async () => {
    for (const role of ["technician", "vcio"] as const) {
      const { cookie } = await loginUser(t, `not-admin-${role}`, role);
      expect((await t.call("GET", "/api/v1/users", cookieOf(cookie))).status).toBe(403);
      expect((await t.call("POST", "/api/v1/users", { ...cookieOf(cookie), body: { username: "sneaky", password: TEST_PASSWORD, role: "admin" } })).status).toBe(403);
    }
    expect((await t.call("GET", "/api/v1/users", { token: null })).status).toBe(401);
  });

  it("ends a user's sessions when their role or password changes or they are deleted", async () => {
    const login = (username: string, password = TEST_PASSWORD) => t.call("POST", "/api/v1/session", { token: null, body: { username, password } });
    const a = await loginUser(t, "xena", "technician");
    expect((await t.call("PATCH", `/api/v1/users/${a.id}`, { body: { role: "vcio" } })).status).toBe(200);
    expect((await t.call("GET", "/api/v1/session", cookieOf(a.cookie))).status).toBe(401);

    const again = /vigil_session=[^;]+/.exec((await login("xena")).headers.get("set-cookie")!)![0];
    expect((await t.call("GET", "/api/v1/session", cookieOf(again))).body.user.role).toBe("vcio");
    expect((await t.call("PATCH", `/api/v1/users/${a.id}`, { body: { password: "a brand new passphrase" } })).status).toBe(200);
    expect((await t.call("GET", "/api/v1/session", cookieOf(again))).status).toBe(401);
    expect((await login("xena")).status).toBe(401);
    const third = /vigil_session=[^;]+/.exec((await login("xena", "a brand new passphrase")).headers.get("set-cookie")!)![0];

    expect((await t.call("DELETE", `/api/v1/users/${a.id}`)).status).toBe(204);
    expect((await t.call("GET", "/api/v1/session", cookieOf(third))).status).toBe(401);
    expect((await login("xena", "a brand new passphrase")).status).toBe(401);
  });

  it("never demotes, disables or deletes the last enabled admin", async () => {
    // No admin user exists yet in this store (the admin token is not a user).
    const { id, cookie } = await loginUser(t, "yara", "admin");
    const other = (await t.call("POST", "/api/v1/users", { body: { username: "zed", password: TEST_PASSWORD, role: "admin" } })).body;
    expect((await t.call("PATCH", `/api/v1/users/${other.id}`, { body: { disabled: true } })).status).toBe(200);
    for (const [method, body] of [["PATCH", { role: "technician" }], ["PATCH", { disabled: true }], ["DELETE", undefined]] as const) {
      const before = await t.snapshot("users");
      const res = await t.call(method, `/api/v1/users/${id}`, { ...cookieOf(cookie), body });
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(409);
      expect(res.body.error.message).toMatch(/yara is the last enabled admin/);
      expect(await t.snapshot("users")).toBe(before);
    }
    // With another enabled admin, yara may step down.
    expect((await t.call("PATCH", `/api/v1/users/${other.id}`, { body: { disabled: false } })).status).toBe(200);
    expect((await t.call("PATCH", `/api/v1/users/${id}`, { body: { role: "technician" } })).status).toBe(200);
  });
});
