import { readFileSync } from "node:fs";
import { BootId } from "@vigil/protocol";
import { describe, expect, it } from "vitest";
import { deriveBootId, readBootId } from "./boot.js";

describe("readBootId", () => {
  it("gives the same valid id on every call", () => {
    const first = readBootId();
    expect(BootId.safeParse(first).success).toBe(true);
    expect(readBootId()).toBe(first);
    expect(readBootId()).toBe(first);
  });

  it.runIf(process.platform === "linux")("is the kernel's boot id on Linux", () => {
    expect(readBootId()).toBe(readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim());
  });
});

describe("deriveBootId", () => {
  const bootAt = 1_750_000_000_000; // a boot at a whole minute, in epoch ms

  it("stays the same through one boot although uptime and clock readings jitter", () => {
    const early = deriveBootId("fileserver", 120, bootAt + 120_000);
    const later = deriveBootId("fileserver", 86_400, bootAt + 86_400_000 + 900); // clock 0.9 s ahead
    expect(later).toBe(early);
    expect(BootId.safeParse(early).success).toBe(true);
  });

  it("changes with a new boot and differs between hosts", () => {
    const a = deriveBootId("fileserver", 120, bootAt + 120_000);
    expect(deriveBootId("fileserver", 60, bootAt + 3_600_000)).not.toBe(a); // rebooted an hour later
    expect(deriveBootId("mailserver", 120, bootAt + 120_000)).not.toBe(a);
  });
});
