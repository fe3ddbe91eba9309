import { describe, expect, it } from "vitest";
import { clip, complement, containsInstant, intersect, normalize, overlapLength, overlaps, partition, subtract, totalLength, union } from "./intervals.js";

const iv = (start: number, end: number) => ({ start, end });

describe("intervals", () => {
  it("normalize sorts, drops empty and NaN intervals, merges overlapping and touching ones", () => {
    expect(normalize([iv(10, 20), iv(0, 5), iv(5, 7), iv(15, 30), iv(40, 40), iv(50, 45), iv(NaN, 3)])).toEqual([iv(0, 7), iv(10, 30)]);
    expect(normalize([])).toEqual([]);
  });

  it("normalize keeps infinite ends", () => {
    expect(normalize([iv(-Infinity, 3), iv(2, Infinity)])).toEqual([iv(-Infinity, Infinity)]);
  });

  it("union merges lists", () => {
    expect(union([iv(0, 2)], [iv(1, 3)], [iv(5, 6)])).toEqual([iv(0, 3), iv(5, 6)]);
  });

  it("intersect keeps only common time", () => {
    expect(intersect([iv(0, 10), iv(20, 30)], [iv(5, 25)])).toEqual([iv(5, 10), iv(20, 25)]);
    expect(intersect([iv(0, 10)], [iv(10, 20)])).toEqual([]);
    expect(intersect([iv(0, 100)], [iv(10, 20), iv(30, 40), iv(90, 200)])).toEqual([iv(10, 20), iv(30, 40), iv(90, 100)]);
  });

  it("subtract removes time, splitting where needed", () => {
    expect(subtract([iv(0, 100)], [iv(10, 20), iv(30, 40)])).toEqual([iv(0, 10), iv(20, 30), iv(40, 100)]);
    expect(subtract([iv(0, 10), iv(20, 30)], [iv(5, 25)])).toEqual([iv(0, 5), iv(25, 30)]);
    expect(subtract([iv(0, 10)], [iv(-5, 15)])).toEqual([]);
    expect(subtract([iv(0, 10)], [])).toEqual([iv(0, 10)]);
    expect(subtract([iv(0, 10), iv(12, 14)], [iv(9, 13)])).toEqual([iv(0, 9), iv(13, 14)]);
  });

  it("clip, complement, total length", () => {
    expect(clip([iv(0, 10), iv(20, 30)], 5, 25)).toEqual([iv(5, 10), iv(20, 25)]);
    expect(complement([iv(5, 10)], 0, 20)).toEqual([iv(0, 5), iv(10, 20)]);
    expect(totalLength([iv(0, 10), iv(5, 15), iv(20, 21)])).toBe(16);
  });

  it("overlap is strict: touching intervals do not overlap", () => {
    expect(overlaps(iv(0, 10), iv(10, 20))).toBe(false);
    expect(overlaps(iv(0, 10), iv(9, 20))).toBe(true);
    expect(containsInstant([iv(0, 10)], 0)).toBe(true);
    expect(containsInstant([iv(0, 10)], 10)).toBe(false);
  });

  it("agrees with a brute-force model on random input", () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const list = () => Array.from({ length: rnd(6) }, () => {
      const s = rnd(50);
      return iv(s, s + rnd(15));
    });
    const member = (l: { start: number; end: number }[], t: number) => l.some((i) => i.start <= t && t < i.end);
    const wrong: string[] = [];
    for (let k = 0; k < 300; k++) {
      const a = list();
      const b = list();
      const split = partition(a, b);
      const ops = { union: union(a, b), intersect: intersect(a, b), subtract: subtract(a, b), inside: normalize(split.inside), outside: normalize(split.outside) };
      expect(ops.inside).toEqual(ops.intersect);
      expect(ops.outside).toEqual(ops.subtract);
      expect(overlapLength(iv(10, 40), ops.union)).toBe(totalLength(intersect([iv(10, 40)], ops.union)));
      for (let t = 0; t < 70; t++) {
        if (member(ops.union, t) !== (member(a, t) || member(b, t))) wrong.push(`union at ${t}`);
        if (member(ops.intersect, t) !== (member(a, t) && member(b, t))) wrong.push(`intersect at ${t}`);
        if (member(ops.subtract, t) !== (member(a, t) && !member(b, t))) wrong.push(`subtract at ${t}`);
      }
      for (const r of Object.values(ops)) expect(normalize(r)).toEqual(r);
    }
    expect(wrong).toEqual([]);
  });
});
