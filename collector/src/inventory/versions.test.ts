import { describe, expect, it } from "vitest";
import { compareVersions } from "./versions.js";

const sign = (n: number) => Math.sign(n);

describe("compareVersions (dpkg ordering)", () => {
  const ordered: Array<[string, string]> = [
    ["1.0", "1.1"],
    ["1.2", "1.10"],
    ["1.0~rc1", "1.0"],
    ["1.0~rc1", "1.0~rc2"],
    ["1.0~~", "1.0~"],
    ["1.0", "1.0a"],
    ["1.0a", "1.0+"],
    ["1.0-1", "1.0-2"],
    ["1.0-9", "1.0-10"],
    ["2.36-9+deb12u3", "2.36-9+deb12u4"],
    ["3.0.11-1~deb12u2", "3.0.15-1~deb12u1"],
    ["3.0.2-0ubuntu1.10", "3.0.2-0ubuntu1.15"],
    ["9.9", "1:0.1"],
    ["1:9.2p1-2", "1:9.2p1-2+deb12u3"],
    ["1:3.0.7-25.el9", "1:3.0.7-27.el9"],
    ["119.0.6045.160", "120.0.6099.130"],
    ["16.0.4266.1001", "16.0.5422.1000"],
    ["", "0.1"],
  ];
  for (const [lower, higher] of ordered) {
    it(`${lower || '""'} < ${higher}`, () => {
      expect(sign(compareVersions(lower, higher))).toBe(-1);
      expect(sign(compareVersions(higher, lower))).toBe(1);
    });
  }

  it("treats equal versions, and leading zeros in numbers, as equal", () => {
    expect(compareVersions("1.0-1", "1.0-1")).toBe(0);
    expect(compareVersions("1.01", "1.1")).toBe(0);
    expect(compareVersions("0:1.0", "1.0")).toBe(0);
  });
});
