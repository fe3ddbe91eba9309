import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, ROOT, tempDir } from "../support/processes.js";

// Where the distribution keeps its own units; verify needs them (sysinit.target, network-online.target).
const SYSTEM_UNITS = ["/usr/lib/systemd/system", "/lib/systemd/system"];

/** Runs `systemd-analyze verify` on a unit inside a staged root holding the unit and stand-ins for its programs. */
function verify(unitFile: string, executables: string[]): { status: number | null; output: string } {
  const probe = spawnSync("systemd-analyze", ["--version"], { encoding: "utf8" });
  if (probe.error) {
    throw new Error("systemd-analyze is not installed: install the systemd package (Debian: apt-get install systemd); CI installs it in .ci/run");
  }
  const root = tempDir("unit-root");
  dirs.push(root);
  const units = SYSTEM_UNITS.find((d) => spawnSync("test", ["-d", d]).status === 0);
  if (!units) throw new Error("no systemd unit directory (/usr/lib/systemd/system): install the systemd package");
  // Copied, not linked: the distribution's units link to each other by absolute path.
  cpSync(units, path.join(root, "usr/lib/systemd/system"), { recursive: true, verbatimSymlinks: true });
  mkdirSync(path.join(root, "etc/systemd/system"), { recursive: true });
  copyFileSync(unitFile, path.join(root, "etc/systemd/system", path.basename(unitFile)));
  for (const exe of executables) {
    mkdirSync(path.join(root, path.dirname(exe)), { recursive: true });
    writeFileSync(path.join(root, exe), "#!/bin/sh\n");
    chmodSync(path.join(root, exe), 0o755);
  }
  const r = spawnSync("systemd-analyze", ["verify", `--root=${root}`, "--man=no", path.basename(unitFile)], { encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

const dirs: string[] = [];
afterAll(() => cleanup(...dirs));

describe("systemd units pass systemd-analyze verify", () => {
  it("the agent unit (deploy/agent/vigil-agent.service)", () => {
    const r = verify(path.join(ROOT, "deploy/agent/vigil-agent.service"), ["/usr/local/bin/vigil-agent"]);
    // verify exits 0 even for unknown keys; any output is a finding.
    expect(r.output).toBe("");
    expect(r.status).toBe(0);
  });

  it("the collector unit (deploy/collector/vigil.service)", () => {
    const r = verify(path.join(ROOT, "deploy/collector/vigil.service"), ["/usr/bin/node"]);
    expect(r.output).toBe("");
    expect(r.status).toBe(0);
  });

  it("a broken unit is reported (the check can fail)", () => {
    const root = tempDir("unit-broken");
    dirs.push(root);
    const unit = path.join(root, "broken.service");
    writeFileSync(unit, "[Service]\nExecStart=/usr/local/bin/not-there\nRestart=sometimes\n");
    const r = verify(unit, []);
    expect(r.output).toMatch(/Failed to parse service restart specifier|not executable/);
  });
});
