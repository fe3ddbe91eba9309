import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installRoutes } from "./index.js";

describe("install routes", () => {
  let downloads: string;
  const publicUrl = "https://vigil.example.net:8443";
  let app: ReturnType<typeof installRoutes>;
  beforeAll(() => {
    downloads = mkdtempSync(path.join(tmpdir(), "vigil-downloads-"));
    writeFileSync(path.join(downloads, "vigil-agent.mjs"), "console.log('agent')\n");
    mkdirSync(path.join(downloads, "bin"));
    writeFileSync(path.join(downloads, "bin", "vigil-agent-linux-arm64"), Buffer.alloc(4096, 7));
    app = installRoutes({ publicUrl, downloadsDir: downloads });
  });
  afterAll(() => rmSync(downloads, { recursive: true, force: true }));

  it("serves install.sh and install.ps1 with the collector's URL baked in", async () => {
    for (const name of ["install.sh", "install.ps1"]) {
      const res = await app.request(`/${name}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain("__VIGIL_PUBLIC_URL__");
      expect(text).toContain(`'${publicUrl}'`);
    }
    expect((await app.request("/install.sh")).headers.get("content-type")).toContain("shellscript");
  });

  it("serves the agent, the unit file and their SHA-256", async () => {
    const mjs = await app.request("/downloads/vigil-agent.mjs");
    expect(mjs.status).toBe(200);
    expect(await mjs.text()).toBe("console.log('agent')\n");
    const bin = await app.request("/downloads/vigil-agent-linux-arm64");
    expect(bin.headers.get("content-length")).toBe("4096");
    expect(Buffer.from(await bin.arrayBuffer()).equals(Buffer.alloc(4096, 7))).toBe(true);
    const sum = await (await app.request("/downloads/vigil-agent-linux-arm64.sha256")).text();
    expect(sum).toBe(`${createHash("sha256").update(Buffer.alloc(4096, 7)).digest("hex")}  vigil-agent-linux-arm64\n`);
    const unit = await app.request("/downloads/vigil-agent.service");
    expect(await unit.text()).toBe(readFileSync(new URL("../../../../deploy/agent/vigil-agent.service", import.meta.url), "utf8"));
  });

  it("answers 404 with a hint for a binary that was not built", async () => {
    const res = await app.request("/downloads/vigil-agent-linux-x64");
    expect(res.status).toBe(404);
    expect((await res.json()).error).toEqual({ code: "not_found", message: expect.stringContaining("npm run build:agent-bin") });
  });

  it("serves nothing outside its fixed list", async () => {
    for (const name of ["..%2F..%2Fpackage.json", "vigil-agent-linux-x64%2F..%2F..%2Fvigil-agent.mjs", "install.sh", "vigil-agent-sunos-sparc", "%2Fetc%2Fpasswd"]) {
      const res = await app.request(`/downloads/${name}`);
      expect(res.status, name).toBe(404);
    }
  });
});
