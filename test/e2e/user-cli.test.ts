import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, ROOT, startCollector, tempDir, type CollectorProcess } from "../support/processes.js";

// `vigil user` as an operator runs it: first against a stopped collector's data directory (it opens the store
// itself), then while `vigil serve` holds that directory (it goes through the collector's API).

const CLI = path.join(ROOT, "collector/dist/cli.js");
const ADMIN_TOKEN = "vgadm_usercli_" + "u".repeat(32);
const dataDir = tempDir("user-cli");
let collector: CollectorProcess | undefined;

/** Runs `vigil <args>` with `stdin` piped in (no terminal); never rejects. */
function vigil(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_DATA_DIR: dataDir, VIGIL_ADMIN_TOKEN: ADMIN_TOKEN };
    delete env.VIGIL_USER_PASSWORD;
    Object.assign(env, options.env);
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

async function login(username: string, password: string): Promise<{ status: number; cookie?: string; body: unknown }> {
  const res = await fetch(`${collector!.url}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-vigil-request": "1" },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, cookie: /vigil_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0], body: await res.json() };
}

afterAll(async () => {
  await collector?.stop();
  cleanup(dataDir);
});

describe("vigil user", () => {
  it("creates the first admin in a stopped collector's store, with clear errors for bad requests", async () => {
    const created = await vigil(["user", "create", "--username", "first-admin", "--admin"], { env: { VIGIL_USER_PASSWORD: "correct horse battery" } });
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created admin first-admin \(id [A-Za-z0-9]+\)\n$/);

    // The password may come on stdin instead.
    const tech = await vigil(["user", "create", "--username", "tech", "--role", "technician"], { stdin: "a technician passphrase\n" });
    expect(tech.code).toBe(0);

    const weak = await vigil(["user", "create", "--username", "weakling", "--admin"], { stdin: "short\n" });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toBe("vigil: weak password: must be at least 10 characters\n");

    const dup = await vigil(["user", "create", "--username", "FIRST-ADMIN", "--role", "vcio"], { stdin: "correct horse battery\n" });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe("vigil: username: FIRST-ADMIN is already taken\n");

    const viewer = await vigil(["user", "create", "--username", "v", "--role", "viewer"], { stdin: "correct horse battery\n" });
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toContain("a viewer needs --client ID");

    const list = await vigil(["user", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split("\n").map((l) => l.split(/\s+/).slice(0, 2).join(" "))).toEqual(["first-admin admin", "tech technician"]);
  });

  it("goes through the running collector's API while it holds the data directory, and the users can log in", async () => {
    collector = await startCollector({ dataDir, env: { VIGIL_ADMIN_TOKEN: ADMIN_TOKEN } });
    const env = { VIGIL_PUBLIC_URL: collector.url };

    const first = await login("first-admin", "correct horse battery");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ user: { username: "first-admin", role: "admin", clientId: null } });
    const me = await fetch(`${collector.url}/api/v1/session`, { headers: { cookie: first.cookie! } });
    expect(me.status).toBe(200);

    const vcio = await vigil(["user", "create", "--username", "quarterly", "--role", "vcio"], { stdin: "board meeting passphrase\n", env });
    expect(vcio.stderr).toBe("");
    expect(vcio.code).toBe(0);
    expect((await login("quarterly", "board meeting passphrase")).status).toBe(200);

    const dup = await vigil(["user", "create", "--username", "Quarterly", "--role", "vcio"], { stdin: "board meeting passphrase\n", env });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe("vigil: the collector refused (409): username: Quarterly is already taken\n");

    const list = await vigil(["user", "list"], { env });
    expect(list.stdout.trim().split("\n").map((l) => l.split(/\s+/)[0])).toEqual(["first-admin", "quarterly", "tech"]);

    // A new password ends the user's sessions at once.
    const passwd = await vigil(["user", "passwd", "--username", "first-admin"], { stdin: "a fresh admin passphrase\n", env });
    expect(passwd.code).toBe(0);
    expect((await fetch(`${collector.url}/api/v1/session`, { headers: { cookie: first.cookie! } })).status).toBe(401);
    expect((await login("first-admin", "correct horse battery")).status).toBe(401);
    expect((await login("first-admin", "a fresh admin passphrase")).status).toBe(200);
  });
});
