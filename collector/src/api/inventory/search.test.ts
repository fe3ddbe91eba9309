import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeInventory, ubuntuServer, windowsWorkstation } from "../../inventory/testing.js";
import { createTestApi, type Json, type TestApi } from "../testing.js";

const GiB = 1024 ** 3;

describe("GET /api/v1/inventory/search", () => {
  let t: TestApi;
  let acme: { clientId: string; siteId: string };
  let other: { clientId: string; siteId: string; agentId: string };
  const hosts: Record<string, string> = {};

  async function enroll(client: { clientId: string; siteId: string }, hostname: string): Promise<string> {
    const token = (await t.call("POST", "/api/v1/enrollment-tokens", { body: client })).body.token;
    const e = await t.call("POST", "/api/v1/agents/enroll", { token: null, body: { token, hostname, agentVersion: "0.1.0", machineId: `m-${hostname}` } });
    return e.body.agentId;
  }

  const names = (body: Json) => body.items.map((h: Json) => h.hostname).sort();

  beforeAll(async () => {
    t = await createTestApi();
    acme = await t.seedClientAndSite("Acme");
    const w = windowsWorkstation();
    const docs = {
      "ACC-PC07": w,
      "ACC-PC08": windowsWorkstation({
        system: { ...w.system, hostname: "ACC-PC08" },
        memory: { totalBytes: 16 * GiB, modules: [] },
        os: { ...w.os, distro: "Microsoft Windows 11 Pro", release: "10.0.26100", build: "26100" },
        software: [{ name: "Google Chrome", version: "131.0.6778.86", arch: "x64", publisher: "Google LLC", source: "registry" }],
      }),
      web01: ubuntuServer(),
      web02: ubuntuServer({
        system: { ...ubuntuServer().system, hostname: "web02" },
        memory: { totalBytes: 4 * GiB, modules: [] },
        software: [
          { name: "openssl", version: "3.0.2-0ubuntu1.18", arch: "amd64", publisher: "", source: "dpkg" },
          { name: "libssl3", version: "3.0.2-0ubuntu1.18", arch: "amd64", publisher: "", source: "dpkg" },
        ],
      }),
    };
    let seq = 1;
    for (const [hostname, doc] of Object.entries(docs)) {
      hosts[hostname] = await enroll(acme, hostname);
      await storeInventory(t.store, { ...acme, agentId: hosts[hostname]! }, doc, seq++);
    }
    const o = await t.seedAgent({ hostname: "other-pc" });
    other = o;
    await storeInventory(t.store, o, windowsWorkstation({ system: { ...w.system, hostname: "other-pc" } }), 1);
  });
  afterAll(async () => {
    await t.close();
  });

  it("finds every host with software below a version, comparing versions properly", async () => {
    // 3.0.2-0ubuntu1.15 < 3.0.2-0ubuntu1.16 < 3.0.2-0ubuntu1.18: a string comparison would get "1.15" vs "1.9" wrong too.
    const res = await t.call("GET", `/api/v1/inventory/search?clientId=${acme.clientId}&software=openssl&versionBelow=3.0.2-0ubuntu1.16`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ hostname: "web01", hostId: hosts.web01, clientId: acme.clientId, software: [{ name: "openssl", version: "3.0.2-0ubuntu1.15" }] });
    const chrome = await t.call("GET", `/api/v1/inventory/search?software=google%20chrome&versionBelow=120`);
    expect(names(chrome.body)).toEqual(["ACC-PC07", "other-pc"]);
    const nineVsTen = await t.call("GET", `/api/v1/inventory/search?clientId=${acme.clientId}&software=Google%20Chrome&versionBelow=131.0.6778.100`);
    expect(names(nineVsTen.body)).toEqual(["ACC-PC07", "ACC-PC08"]);
  });

  it("lists the installed versions when only the software is given, and takes * wildcards", async () => {
    const res = await t.call("GET", `/api/v1/inventory/search?clientId=${acme.clientId}&software=*ssl*`);
    const web02 = res.body.items.find((h: Json) => h.hostname === "web02");
    expect(web02.software).toEqual([
      { name: "openssl", version: "3.0.2-0ubuntu1.18" },
      { name: "libssl3", version: "3.0.2-0ubuntu1.18" },
    ]);
    expect(names(res.body)).toEqual(["web01", "web02"]);
    // _ and % are literal, not LIKE wildcards.
    expect((await t.call("GET", `/api/v1/inventory/search?software=${encodeURIComponent("open_sl")}`)).body.items).toEqual([]);
    expect((await t.call("GET", `/api/v1/inventory/search?software=${encodeURIComponent("%")}`)).body.items).toEqual([]);
  });

  it("finds hosts by operating system", async () => {
    const w10 = await t.call("GET", `/api/v1/inventory/search?os=${encodeURIComponent("windows 10")}`);
    expect(names(w10.body)).toEqual(["ACC-PC07", "other-pc"]);
    expect(w10.body.items[0].os).toEqual({ platform: "win32", distro: "Microsoft Windows 10 Pro", release: "10.0.19045", build: "19045" });
    const ubuntu = await t.call("GET", `/api/v1/inventory/search?os=ubuntu%2022.04&clientId=${acme.clientId}`);
    expect(names(ubuntu.body)).toEqual(["web01", "web02"]);
    expect(ubuntu.body.items.every((h: Json) => h.software.length === 0)).toBe(true);
    // os-release names work too ("ubuntu 22.04" is ID and VERSION_ID).
    expect(names((await t.call("GET", "/api/v1/inventory/search?os=UBUNTU%20%2022.04")).body)).toEqual(["web01", "web02"]);
    expect((await t.call("GET", "/api/v1/inventory/search?os=debian%2012")).body.items).toEqual([]);
  });

  it("finds hosts with less memory than a threshold, within one client", async () => {
    const res = await t.call("GET", `/api/v1/inventory/search?clientId=${acme.clientId}&memoryBelowBytes=${8 * GiB + 1}`);
    expect(names(res.body)).toEqual(["ACC-PC07", "web02"]);
    expect(res.body.items.find((h: Json) => h.hostname === "web02").memoryBytes).toBe(4 * GiB);
    const combined = await t.call("GET", `/api/v1/inventory/search?clientId=${acme.clientId}&memoryBelowBytes=${8 * GiB}&os=ubuntu`);
    expect(names(combined.body)).toEqual(["web02"]);
    const otherClient = await t.call("GET", `/api/v1/inventory/search?clientId=${other.clientId}&memoryBelowBytes=${64 * GiB}`);
    expect(names(otherClient.body)).toEqual(["other-pc"]);
  });

  const invalid: Array<[string, string, RegExp]> = [
    ["versionBelow without software", "versionBelow=1.0&clientId=x", /^versionBelow: needs software/],
    ["no filter at all", "", /^query: give at least one of/],
    ["a negative memory bound", "memoryBelowBytes=-5", /^memoryBelowBytes: /],
    ["a memory bound that is not a number", "memoryBelowBytes=8GB", /^memoryBelowBytes: /],
    ["an empty software name", "software=", /^software: /],
    ["a limit of zero", "os=x&limit=0", /^limit: /],
    ["a blank OS", "os=%20%20", /^os: must not be blank/],
  ];
  for (const [what, query, message] of invalid) {
    it(`rejects ${what} with 400`, async () => {
      const res = await t.call("GET", `/api/v1/inventory/search?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.message).toMatch(message);
    });
  }

  it("treats hostile strings as data", async () => {
    for (const s of ["') OR 1=1 --", "\\'; DROP TABLE inventory_latest; --", "{pattern:String}"]) {
      const res = await t.call("GET", `/api/v1/inventory/search?software=${encodeURIComponent(s)}&os=${encodeURIComponent(s)}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    }
    expect((await t.call("GET", `/api/v1/inventory/search?clientId=${acme.clientId}`)).body.items).toHaveLength(4);
  });

  it("requires the admin token", async () => {
    expect((await t.call("GET", "/api/v1/inventory/search?os=windows", { token: null })).status).toBe(401);
  });
});
