import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminApi } from "../support/api.js";
import { freePort } from "../support/free-port.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, ROOT, startCollector, tempDir, waitFor, type CollectorProcess } from "../support/processes.js";
import { buildHostBinary, HOST_BINARY } from "./sea-binary.js";

// What a minimal Linux system has before the installer runs: the account files useradd edits (and
// their backups, which useradd rewrites) and the standard directories.
const PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
const GROUP = "root:x:0:\ndaemon:x:1:\n";
const SHADOW = "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n";
const GSHADOW = "root:*::\ndaemon:*::\n";
const BACKUPS = new Set(["etc/passwd-", "etc/group-", "etc/shadow-", "etc/gshadow-", "etc/.pwd.lock"]);

function seedRoot(dirs: string[]): string {
  const root = tempDir("install-root");
  dirs.push(root);
  // Like a real /: the service user must be able to reach its program and state.
  chmodSync(root, 0o755);
  for (const d of ["etc/systemd/system", "usr/local/bin", "opt", "var/lib"]) mkdirSync(path.join(root, d), { recursive: true });
  const files: Record<string, string> = { passwd: PASSWD, group: GROUP, shadow: SHADOW, gshadow: GSHADOW };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(root, "etc", name), text, { mode: name.includes("shadow") ? 0o640 : 0o644 });
    writeFileSync(path.join(root, "etc", `${name}-`), text);
  }
  writeFileSync(path.join(root, "etc/.pwd.lock"), "", { mode: 0o600 });
  return root;
}

/** Every entry under `root` with its type, mode, owner and content hash (backups only by name). */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel))) {
      const r = path.join(rel, name);
      const file = path.join(root, r);
      const s = lstatSync(file);
      const meta = `${(s.mode & 0o7777).toString(8)} ${s.uid}:${s.gid}`;
      if (BACKUPS.has(r)) out[r] = "present";
      else if (s.isSymbolicLink()) out[r] = `link -> ${readlinkSync(file)}`;
      else if (s.isDirectory()) {
        out[r] = `dir ${meta}`;
        walk(r);
      } else out[r] = `file ${meta} ${createHash("sha256").update(readFileSync(file)).digest("hex")}`;
    }
  };
  walk("");
  return out;
}

function mode(file: string): string {
  return (lstatSync(file).mode & 0o7777).toString(8).padStart(4, "0");
}

describe("install.sh: the agent one-liner, against a real collector, into a staged root", () => {
  const dirs: string[] = [];
  let collector: CollectorProcess;
  let api: AdminApi;
  let downloads: string;

  /** Runs the one-liner exactly as a technician would (minus sudo), with extra env for the test. */
  function oneLiner(args: string, env: Record<string, string> = {}, server = collector.url): Promise<{ code: number | null; out: string; err: string }> {
    const child = spawn("sh", ["-c", `curl -fsSL ${server}/install.sh | sh -s -- ${args}`], {
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
  }

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error("the install.sh tests need root: they create a user (useradd --root) and chown files in a staged root");
    downloads = tempDir("downloads");
    dirs.push(downloads);
    // Only the bundle at first: the single executable is added by its own test.
    copyFileSync(path.join(ROOT, "agent/dist/vigil-agent.mjs"), path.join(downloads, "vigil-agent.mjs"));
    // A fixed port, so the URL baked into install.sh (VIGIL_PUBLIC_URL) is the one it listens on.
    const port = await freePort();
    collector = await startCollector({ port, env: { ...LOOPBACK_AGENT_ENV, VIGIL_AGENT_DOWNLOADS_DIR: downloads, VIGIL_PUBLIC_URL: `http://127.0.0.1:${port}` } });
    api = new AdminApi(collector.url, collector.adminToken);
  });
  afterAll(async () => {
    await collector?.stop();
    cleanup(...dirs);
  });

  it("installs the bundled agent: user, state, program, unit, enrollment; a rerun changes nothing; --uninstall removes it all", async () => {
    const root = seedRoot(dirs);
    const before = tree(root);
    const { clientId, siteId, token } = await api.enrollmentToken("Install Ltd");

    const r = await oneLiner(`--token ${token} --prefix ${root}`, { VIGIL_AGENT_MACHINE_ID: "install-test-bundle" });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Installing the Vigil agent from ${collector.url}`);
    expect(r.out).toMatch(/created system user vigil-agent/);
    expect(r.out).toMatch(/enrolled as agent \S+; credentials in \/var\/lib\/vigil-agent\/credentials.json \(mode 0600\)/);
    expect(r.out).toContain("Not started (--no-start)");

    // The system user, in the staged root's own account files.
    const user = readFileSync(path.join(root, "etc/passwd"), "utf8").split("\n").find((l) => l.startsWith("vigil-agent:"))!;
    const [, , uid, gid, , home, shell] = user.split(":");
    expect(home).toBe("/var/lib/vigil-agent");
    expect(shell).toMatch(/nologin|false/);
    expect(readFileSync(path.join(root, "etc/group"), "utf8")).toContain(`vigil-agent:x:${gid}:`);

    // State: owned by the service user, readable by it alone; the credentials are the collector's.
    const state = path.join(root, "var/lib/vigil-agent");
    expect(mode(state)).toBe("0700");
    expect(`${lstatSync(state).uid}:${lstatSync(state).gid}`).toBe(`${uid}:${gid}`);
    const credsFile = path.join(state, "credentials.json");
    expect(mode(credsFile)).toBe("0600");
    expect(lstatSync(credsFile).uid).toBe(Number(uid));
    const creds = JSON.parse(readFileSync(credsFile, "utf8")) as { server: string; agentId: string; clientId: string; siteId: string };
    expect(creds).toMatchObject({ server: collector.url, clientId, siteId });
    const host = await api.request<{ id: string; siteId: string }>("GET", `/api/v1/hosts/${creds.agentId}`);
    expect(host.status).toBe(200);
    expect(host.body.siteId).toBe(siteId);

    // Program: root-owned (the service cannot rewrite itself), run through this machine's node.
    const program = path.join(root, "opt/vigil-agent/vigil-agent.mjs");
    expect(mode(program)).toBe("0644");
    expect(lstatSync(program).uid).toBe(0);
    expect(readFileSync(program).equals(readFileSync(path.join(ROOT, "agent/dist/vigil-agent.mjs")))).toBe(true);
    const command = path.join(root, "usr/local/bin/vigil-agent");
    expect(mode(command)).toBe("0755");
    expect(readFileSync(command, "utf8")).toContain(`exec '${process.execPath}' '/opt/vigil-agent/vigil-agent.mjs' "$@"`);

    // The unit: exactly the repository's hardened unit (verified by systemd-units.test.ts).
    const unit = path.join(root, "etc/systemd/system/vigil-agent.service");
    expect(mode(unit)).toBe("0644");
    expect(readFileSync(unit, "utf8")).toBe(readFileSync(path.join(ROOT, "deploy/agent/vigil-agent.service"), "utf8"));

    // What the unit would start, as the unit's user, works with what was installed: it connects and delivers.
    const agent = spawn(process.execPath, [program, "run", "--state-dir", state, "--health-interval", "1"], { stdio: "ignore", uid: Number(uid), gid: Number(gid) });
    try {
      await waitFor(async () => {
        const m = await api.request<{ series: Array<{ points: unknown[] }> }>("GET", `/api/v1/hosts/${creds.agentId}/metrics?name=cpu.utilization`);
        return (m.body.series[0]?.points.length ?? 0) > 0;
      }, "metrics from the installed agent", 30_000);
    } finally {
      const exited = new Promise((res) => agent.once("exit", res));
      agent.kill("SIGTERM");
      await exited;
    }

    // Running it again is harmless: same enrollment, nothing rewritten.
    const installed = tree(root);
    const again = await oneLiner(`--token ${token} --prefix ${root}`, { VIGIL_AGENT_MACHINE_ID: "install-test-bundle" });
    expect(again.code).toBe(0);
    expect(again.out).toContain(`already enrolled as agent ${creds.agentId}`);
    expect(again.out).toContain("already installed vigil-agent");
    expect(tree(root)).toEqual(installed);

    const removed = await oneLiner(`--uninstall --prefix ${root}`);
    expect(removed.err).toBe("");
    expect(removed.code).toBe(0);
    for (const p of ["/etc/systemd/system/vigil-agent.service", "/usr/local/bin/vigil-agent", "/opt/vigil-agent", "/var/lib/vigil-agent"]) {
      expect(removed.out).toContain(`removed ${p}`);
    }
    expect(removed.out).toContain(`DELETE /api/v1/hosts/${creds.agentId}`);
    expect(tree(root)).toEqual(before);
    expect(readFileSync(path.join(root, "etc/passwd"), "utf8")).toBe(PASSWD);
    expect(readFileSync(path.join(root, "etc/group"), "utf8")).toBe(GROUP);
    expect((await oneLiner(`--uninstall --prefix ${root}`)).out).toContain("Nothing to remove");
  });

  it("installs the single executable when the collector has one for this platform", async () => {
    mkdirSync(path.join(downloads, "bin"), { recursive: true });
    try {
      const binary = await buildHostBinary(path.join(downloads, "bin"));
      const root = seedRoot(dirs);
      const before = tree(root);
      const { token } = await api.enrollmentToken("SEA Install Ltd");
      // No node on PATH: the single executable must not need one.
      const r = await oneLiner(`--token ${token} --prefix ${root}`, { VIGIL_AGENT_MACHINE_ID: "install-test-sea", PATH: "/usr/bin:/bin:/usr/sbin:/sbin" });
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/installed vigil-agent \S+ \(single executable\) in \/opt\/vigil-agent, linked from \/usr\/local\/bin\/vigil-agent/);
      const program = path.join(root, "opt/vigil-agent/vigil-agent");
      expect(mode(program)).toBe("0755");
      expect(readFileSync(program).equals(readFileSync(binary))).toBe(true);
      expect(readlinkSync(path.join(root, "usr/local/bin/vigil-agent"))).toBe("/opt/vigil-agent/vigil-agent");
      expect(JSON.parse(readFileSync(path.join(root, "var/lib/vigil-agent/credentials.json"), "utf8")).server).toBe(collector.url);

      expect((await oneLiner(`--uninstall --prefix ${root}`)).code).toBe(0);
      expect(tree(root)).toEqual(before);
    } finally {
      rmSync(path.join(downloads, "bin", HOST_BINARY), { force: true });
    }
  });

  describe("refuses, with a clear message, and leaves nothing behind", () => {
    const cases: Array<[string, () => Promise<{ args: string; env?: Record<string, string>; server?: string }>, number, RegExp]> = [
      ["a missing token", async () => ({ args: "" }), 2, /--token is required/],
      ["a malformed token", async () => ({ args: "--token vge_short" }), 1, /does not look like an enrollment token[\s\S]*will fail the same way/],
      [
        "an unreachable collector",
        async () => ({ args: `--token ${(await api.enrollmentToken("Unreachable")).token} --server http://127.0.0.1:${await freePort()}` }),
        1,
        /cannot reach the collector at http:\/\/127\.0\.0\.1:\d+[\s\S]*may be temporary/,
      ],
      ["an unsupported platform", async () => ({ args: `--token ${(await api.enrollmentToken("SunOS")).token}`, env: { VIGIL_INSTALL_UNAME: "SunOS" } }), 1, /unsupported operating system: SunOS/],
      ["macOS, pointing to launchd", async () => ({ args: `--token ${(await api.enrollmentToken("Mac")).token}`, env: { VIGIL_INSTALL_UNAME: "Darwin" } }), 1, /com\.vigil\.agent\.plist/],
      [
        "a token the collector refuses (revoked)",
        async () => {
          const { token } = await api.enrollmentToken("Revoked");
          const listed = await api.request<{ items: Array<{ id: string }> }>("GET", "/api/v1/enrollment-tokens");
          const id = listed.body.items.find((t) => token.startsWith(`vge_${t.id}_`))!.id;
          expect((await api.request("DELETE", `/api/v1/enrollment-tokens/${id}`)).status).toBe(204);
          return { args: `--token ${token}` };
        },
        1,
        /enrollment failed: .*revoked/,
      ],
    ];
    for (const [what, setup, code, message] of cases) {
      it(what, async () => {
        const root = seedRoot(dirs);
        const before = tree(root);
        const { args, env, server } = await setup();
        const r = await oneLiner(`${args} --prefix ${root}`, { VIGIL_AGENT_MACHINE_ID: "install-test-refused", ...env }, server);
        expect(r.code).toBe(code);
        expect(r.err).toMatch(message);
        expect(tree(root)).toEqual(before);
      });
    }

    it("a failure after the machine was changed undoes this run's changes", async () => {
      const root = seedRoot(dirs);
      // The unit cannot be written: systemd's directory is a file. Everything before it must be undone.
      rmSync(path.join(root, "etc/systemd/system"), { recursive: true });
      writeFileSync(path.join(root, "etc/systemd/system"), "not a directory");
      const before = tree(root);
      const { token } = await api.enrollmentToken("Rollback");
      const r = await oneLiner(`--token ${token} --prefix ${root}`, { VIGIL_AGENT_MACHINE_ID: "install-test-rollback" });
      expect(r.code).toBe(1);
      expect(r.err).toContain("undoing the changes of this run");
      expect(tree(root)).toEqual(before);
      expect(readFileSync(path.join(root, "etc/passwd"), "utf8")).toBe(PASSWD);
    });
  });
});
