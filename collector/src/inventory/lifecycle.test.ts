import { describe, expect, it } from "vitest";
import type { LifecycleInventoryRow } from "../store/queries/inventory.js";
import { assessHost, filesystemTrends, type HostFacts } from "./lifecycle.js";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const DAY = 86_400_000;

function inv(patch: Partial<LifecycleInventoryRow> = {}): LifecycleInventoryRow {
  return {
    agent_id: "h1",
    site_id: "s1",
    hostname: "web01",
    ts: NOW - DAY,
    os_platform: "linux",
    os_distro: "Ubuntu",
    os_release: "24.04.1 LTS",
    os_build: "",
    os_id: "ubuntu",
    os_version_id: "24.04",
    manufacturer: "HPE",
    model: "ProLiant DL360 Gen10",
    serial: "CZJ9420ABC",
    virtual: 0,
    bios_date: "2024-02-10",
    disks: "[]",
    ...patch,
  };
}

const facts = (patch: Partial<LifecycleInventoryRow> = {}, more: Partial<HostFacts> = {}): HostFacts => ({
  agent: { id: "h1", hostname: "web01", site_id: "s1", enrolled_at: NOW - 30 * DAY },
  inventory: inv(patch),
  filesystems: [],
  ...more,
});

describe("assessHost", () => {
  it("finds nothing wrong with a young host on a supported OS", () => {
    expect(assessHost(facts(), NOW)).toEqual([]);
  });

  it("rates an OS past its end of support critical and one within 180 days a warning, citing the source", () => {
    const [eol] = assessHost(facts({ os_platform: "win32", os_distro: "Microsoft Windows 10 Pro", os_release: "10.0.19045", os_build: "19045", os_id: "", os_version_id: "" }), NOW);
    expect(eol).toMatchObject({ category: "os_eol", severity: "critical", dueDate: "2025-10-14", source: "https://learn.microsoft.com/lifecycle/products/windows-10-home-and-pro" });
    expect(eol!.title).toBe("Windows 10 Home/Pro 22H2 is past its end of support (2025-10-14)");
    expect(eol!.detail).toMatch(/Paid extension available: Windows 10 Extended Security Updates/);
    const [soon] = assessHost(facts({ os_platform: "win32", os_distro: "Microsoft Windows Server 2016 Standard", os_release: "10.0.14393", os_build: "14393", os_id: "", os_version_id: "" }), NOW);
    expect(soon).toMatchObject({ category: "os_eol", severity: "warning", dueDate: "2027-01-12", title: "Windows Server 2016 reaches its end of support on 2027-01-12 (in 50 days)" });
  });

  it("lists an OS the table does not know as unknown (info), never as fine", () => {
    const [r] = assessHost(facts({ os_distro: "Ubuntu", os_release: "26.04 LTS", os_version_id: "26.04" }), NOW);
    expect(r).toMatchObject({ category: "os_unknown", severity: "info", dueDate: null });
    expect(r!.detail).toMatch(/not counted as supported/);
  });

  it("says Apple's dates are estimates", () => {
    const [r] = assessHost(facts({ os_platform: "darwin", os_distro: "macOS", os_release: "14.6", os_id: "", os_version_id: "" }), NOW);
    expect(r).toMatchObject({ category: "os_eol", severity: "critical" });
    expect(r!.detail).toMatch(/estimated: Apple publishes no end-of-life dates/);
  });

  it("ages hardware from its BIOS date, or from first seen, and not for virtual machines", () => {
    const old = assessHost(facts({ bios_date: "2017-05-01" }), NOW).find((r) => r.category === "hardware_age");
    expect(old).toMatchObject({ severity: "critical", title: "Hardware is 9.6 years old (firmware from 2017-05-01)" });
    expect(old!.detail).toMatch(/^HPE ProLiant DL360 Gen10, serial CZJ9420ABC: age from its BIOS release date/);
    const ageing = assessHost(facts({ bios_date: "2021-01-15" }), NOW).find((r) => r.category === "hardware_age");
    expect(ageing).toMatchObject({ severity: "warning", recommendation: "Budget its replacement within the next 12 months." });
    expect(assessHost(facts({ bios_date: "2017-05-01", virtual: 1 }), NOW).some((r) => r.category === "hardware_age")).toBe(false);
    const firstSeen = assessHost(facts({ bios_date: "" }, { firstSeen: NOW - 6 * 365.25 * DAY }), NOW).find((r) => r.category === "hardware_age");
    expect(firstSeen?.title).toMatch(/^Hardware is at least 6\.0 years old \(first seen \d{4}-\d{2}-\d{2}\)$/);
    expect(assessHost(facts({ bios_date: "" }), NOW).some((r) => r.category === "hardware_age")).toBe(false);
  });

  it("reports every disk whose SMART check fails", () => {
    const disks = JSON.stringify([
      { device: "/dev/sda", model: "MK000480GWXFF", serial: "PHYS8123ABC", vendor: "HPE", firmware: "", sizeBytes: 480103981056, type: "SSD", interface: "SAS", smart: "ok" },
      { device: "/dev/sdb", model: "ST4000NM000A", serial: "WS2ABCDE", vendor: "Seagate", firmware: "", sizeBytes: 4000787030016, type: "HDD", interface: "SATA", smart: "failing" },
    ]);
    const risks = assessHost(facts({ disks }), NOW).filter((r) => r.category === "disk_smart");
    expect(risks).toEqual([
      expect.objectContaining({ severity: "critical", title: "Disk ST4000NM000A serial WS2ABCDE reports a SMART failure", detail: expect.stringMatching(/^\/dev\/sdb, 3\.6 TiB HDD/) }),
    ]);
  });

  it("forecasts a filesystem filling within 30 days from its growth", () => {
    // 400 GiB used of 500 GiB, +10 GiB a day for four days: full in ten days.
    const used = Array.from({ length: 97 }, (_, i) => ({ t: NOW - 4 * DAY + i * 3600_000, v: (360 + (10 * i) / 24) * 1024 ** 3 }));
    const fs = { mount: "/srv", used, sizeBytes: 500 * 1024 ** 3, usedPct: 80 };
    const [r] = assessHost(facts({}, { filesystems: [fs] }), NOW);
    expect(r).toMatchObject({ category: "disk_full", severity: "warning", dueDate: "2026-12-03" });
    expect(r!.title).toBe("Filesystem /srv forecast full on 2026-12-03 (in 10 days)");
    expect(r!.detail).toMatch(/^400 GiB of 500 GiB used \(80\.0%\), growing 10 GiB a day over the last 4\.0 days/);
    // Within a week it is critical; slow growth is no risk.
    const fast = { ...fs, used: used.map((p, i) => ({ ...p, v: p.v + i * 1.2 * 1024 ** 3 })) };
    expect(assessHost(facts({}, { filesystems: [fast] }), NOW)[0]?.severity).toBe("critical");
    const slow = { ...fs, used: used.map((p, i) => ({ ...p, v: 360 * 1024 ** 3 + (i * 1024 ** 3) / 24 / 10 })) };
    expect(assessHost(facts({}, { filesystems: [slow] }), NOW)).toEqual([]);
  });

  it("says so when a host never sent an inventory", () => {
    expect(assessHost({ agent: { id: "h9", hostname: "old-agent", site_id: "s1", enrolled_at: NOW - DAY }, inventory: null, filesystems: [] }, NOW)).toEqual([
      expect.objectContaining({ category: "no_inventory", severity: "info", hostname: "old-agent" }),
    ]);
  });
});

describe("filesystemTrends", () => {
  it("uses hourly points when they span three days, else minute points", () => {
    const labels = '{"device":"/dev/sdb1","fstype":"xfs","mount":"/srv"}';
    const hourly = Array.from({ length: 4 * 24 }, (_, i) => ({ agent_id: "a", labels, name: "fs.used_bytes", t: NOW - 4 * DAY + i * 3600_000, v: i }));
    const minutely = [{ agent_id: "a", labels, name: "fs.used_bytes", t: NOW, v: 1 }, { agent_id: "b", labels, name: "fs.used_bytes", t: NOW, v: 7 }, { agent_id: "b", labels, name: "fs.size_bytes", t: NOW, v: 70 }];
    const trends = filesystemTrends(hourly, minutely);
    expect(trends.get("a")![0]!.used).toHaveLength(96);
    expect(trends.get("a")![0]!.mount).toBe("/srv");
    expect(trends.get("b")![0]).toEqual({ mount: "/srv", used: [{ t: NOW, v: 7 }], sizeBytes: 70, usedPct: null });
  });
});
