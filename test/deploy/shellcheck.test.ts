import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/processes.js";

describe("install.sh is portable POSIX sh", () => {
  it("passes shellcheck as sh (dash, busybox) and parses in dash", () => {
    const script = path.join(ROOT, "deploy/agent/install.sh");
    const lint = spawnSync("shellcheck", ["--shell=sh", "--severity=style", script], { encoding: "utf8" });
    if (lint.error) throw new Error("shellcheck is not installed: apt-get install shellcheck (CI installs it in .ci/run)");
    expect(lint.stdout + lint.stderr).toBe("");
    expect(lint.status).toBe(0);
    const parse = spawnSync("sh", ["-n", script], { encoding: "utf8" });
    expect(parse.stderr).toBe("");
    expect(parse.status).toBe(0);
  });
});
