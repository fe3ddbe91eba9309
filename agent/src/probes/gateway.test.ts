import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultGateway, parseProcNetRoute } from "./gateway.js";

const HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

function table(...rows: string[][]): string {
  return [HEADER, ...rows.map((r) => r.join("\t"))].join("\n") + "\n";
}

describe("parseProcNetRoute", () => {
  it("reads the gateway of the default route, written little-endian", () => {
    const text = table(
      ["eth0", "00000000", "0101A8C0", "0003", "0", "0", "100", "00000000", "0", "0", "0"],
      ["eth0", "0001A8C0", "00000000", "0001", "0", "0", "100", "00FFFFFF", "0", "0", "0"],
    );
    expect(parseProcNetRoute(text)).toBe("192.168.1.1");
  });

  it("answers null when there is no default route", () => {
    const text = table(["eth0", "0001A8C0", "00000000", "0001", "0", "0", "0", "00FFFFFF", "0", "0", "0"]);
    expect(parseProcNetRoute(text)).toBeNull();
    expect(parseProcNetRoute(HEADER + "\n")).toBeNull();
    expect(parseProcNetRoute("")).toBeNull();
  });

  it("picks the default route with the lowest metric (wired before Wi-Fi)", () => {
    const text = table(
      ["wlan0", "00000000", "0100000A", "0003", "0", "0", "600", "00000000", "0", "0", "0"],
      ["eth0", "00000000", "FE01A8C0", "0003", "0", "0", "100", "00000000", "0", "0", "0"],
    );
    expect(parseProcNetRoute(text)).toBe("192.168.1.254");
  });

  it("ignores default routes without a gateway (VPN devices) and routes that are down", () => {
    const text = table(
      ["wg0", "00000000", "00000000", "0001", "0", "0", "0", "00000000", "0", "0", "0"],
      ["eth1", "00000000", "0100000A", "0002", "0", "0", "10", "00000000", "0", "0", "0"],
      ["eth0", "00000000", "010011AC", "0003", "0", "0", "50", "00000000", "0", "0", "0"],
    );
    expect(parseProcNetRoute(text)).toBe("172.17.0.1");
  });
});

describe("defaultGateway", () => {
  // Only reads the routing table; the gateway itself is never contacted.
  it("answers an IPv4 address or null", async () => {
    const gateway = await defaultGateway();
    if (gateway !== null) expect(gateway).toMatch(/^\d{1,3}(\.\d{1,3}){3}$/);
    if (process.platform === "linux") expect(gateway).toBe(parseProcNetRoute(readFileSync("/proc/net/route", "utf8")));
    else expect(gateway).toBeNull();
  });
});
