import { describe, expect, it } from "vitest";
import { EOL_TABLE, EOL_TABLE_CHECKED_ON } from "./eol-data.js";
import { lookupEol, type OsIdentity } from "./eol.js";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const os = (o: Partial<OsIdentity>): OsIdentity => ({ platform: "linux", distro: "", release: "", build: "", id: "", versionId: "", ...o });

describe("the end-of-life table", () => {
  it("cites a vendor source and a check date for every entry, with real dates", () => {
    for (const e of EOL_TABLE) {
      expect(e.source, e.label).toMatch(/^https:\/\/[a-z0-9.-]+\.(com|org)\//);
      expect(e.checkedOn, e.label).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isFinite(Date.parse(`${e.eol}T00:00:00Z`)), e.label).toBe(true);
      if (e.extendedUntil) expect(Date.parse(e.extendedUntil)).toBeGreaterThan(Date.parse(e.eol));
      if (e.basis === "estimate") expect(e.note, e.label).toBeTruthy();
    }
    expect(EOL_TABLE_CHECKED_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("covers what the brief asks for", () => {
    const has = (product: string, cycle: string, edition?: string) => EOL_TABLE.some((e) => e.product === product && e.cycle === cycle && (!edition || e.edition === edition));
    for (const c of ["22H2", "LTSC 2021", "LTSC 2019"]) expect(has("windows-10", c), c).toBe(true);
    for (const c of ["23H2", "24H2", "25H2"]) for (const ed of ["home-pro", "enterprise-education"]) expect(has("windows-11", c, ed), `${c} ${ed}`).toBe(true);
    for (const c of ["2012 R2", "2016", "2019", "2022", "2025"]) expect(has("windows-server", c), c).toBe(true);
    for (const c of ["18.04", "20.04", "22.04", "24.04", "24.10", "25.04"]) expect(has("ubuntu", c), c).toBe(true);
    for (const c of ["10", "11", "12", "13"]) expect(has("debian", c), c).toBe(true);
    for (const p of ["rhel", "rocky", "almalinux"]) for (const c of ["8", "9"]) expect(has(p, c), `${p} ${c}`).toBe(true);
    expect(has("rhel", "7")).toBe(true);
    for (const c of ["12", "13", "14", "15"]) expect(has("macos", c), c).toBe(true);
  });
});

describe("lookupEol", () => {
  it("knows Windows 10 22H2 is past its end of support, whatever the edition", () => {
    const pro = lookupEol(os({ platform: "win32", distro: "Microsoft Windows 10 Pro", release: "10.0.19045", build: "19045" }), NOW);
    expect(pro).toMatchObject({ status: "eol", entry: { label: "Windows 10 Home/Pro 22H2", eol: "2025-10-14" } });
    expect(pro.daysLeft).toBeLessThan(-400);
    const ent = lookupEol(os({ platform: "win32", distro: "Microsoft Windows 10 Enterprise", release: "10.0.19045" }), NOW);
    expect(ent.entry?.edition).toBe("enterprise-education");
    expect(ent.status).toBe("eol");
  });

  it("tells LTSC from the semi-annual release of the same build", () => {
    const ltsc = lookupEol(os({ platform: "win32", distro: "Microsoft Windows 10 Enterprise LTSC 2021", build: "19044" }), NOW);
    // 2027-01-12 is 50 days away: within the 180-day warning.
    expect(ltsc).toMatchObject({ status: "approaching", entry: { cycle: "LTSC 2021", eol: "2027-01-12" } });
    const iot = lookupEol(os({ platform: "win32", distro: "Microsoft Windows 10 IoT Enterprise LTSC 2021", build: "19044" }), NOW);
    expect(iot.entry?.eol).toBe("2032-01-13");
    const semiAnnual = lookupEol(os({ platform: "win32", distro: "Microsoft Windows 10 Enterprise", build: "19044" }), NOW);
    expect(semiAnnual).toMatchObject({ status: "eol", entry: { cycle: "21H2" } });
  });

  it("dates Windows 11 by build and servicing group", () => {
    const home24 = lookupEol(os({ platform: "win32", distro: "Microsoft Windows 11 Home", release: "10.0.26100", build: "26100" }), NOW);
    expect(home24).toMatchObject({ status: "eol", entry: { eol: "2026-10-13" } });
    const ent24 = lookupEol(os({ platform: "win32", distro: "Microsoft Windows 11 Enterprise", build: "26100" }), NOW);
    expect(ent24).toMatchObject({ status: "supported", entry: { eol: "2027-10-12" } });
    const pro25 = lookupEol(os({ platform: "win32", distro: "Microsoft Windows 11 Pro", build: "26200" }), NOW);
    expect(pro25).toMatchObject({ status: "supported", entry: { cycle: "25H2" } });
    // Pro Education is serviced with Home and Pro, not with Education.
    const proEdu = lookupEol(os({ platform: "win32", distro: "Microsoft Windows 11 Pro Education", build: "22631" }), NOW);
    expect(proEdu.entry?.edition).toBe("home-pro");
  });

  it("flags a release within 180 days of its end as approaching", () => {
    const s2016 = lookupEol(os({ platform: "win32", distro: "Microsoft Windows Server 2016 Standard", release: "10.0.14393", build: "14393" }), NOW);
    expect(s2016).toMatchObject({ status: "approaching", entry: { eol: "2027-01-12" } });
    expect(s2016.daysLeft).toBe(50);
    expect(lookupEol(os({ platform: "win32", distro: "Microsoft Windows Server 2012 R2 Datacenter", build: "9600" }), NOW)).toMatchObject({ status: "eol", entry: { extendedUntil: "2026-10-13" } });
    expect(lookupEol(os({ platform: "win32", distro: "Microsoft Windows Server 2022 Standard", build: "20348" }), NOW).status).toBe("supported");
    // Without a year in the name, the build says which server it is.
    expect(lookupEol(os({ platform: "win32", distro: "Microsoft Windows Server Datacenter", build: "26100" }), NOW).entry?.cycle).toBe("2025");
  });

  it("reads Linux distributions from os-release", () => {
    expect(lookupEol(os({ distro: "Ubuntu", release: "22.04.4 LTS", id: "ubuntu", versionId: "22.04" }), NOW)).toMatchObject({ status: "approaching", entry: { label: "Ubuntu 22.04 LTS" } });
    expect(lookupEol(os({ distro: "Ubuntu", release: "24.04.1 LTS", id: "ubuntu", versionId: "24.04" }), NOW).status).toBe("supported");
    expect(lookupEol(os({ distro: "Ubuntu", release: "20.04.6 LTS", id: "ubuntu", versionId: "20.04" }), NOW)).toMatchObject({ status: "eol", entry: { extendedUntil: "2030-04-30" } });
    expect(lookupEol(os({ distro: "Ubuntu", release: "25.04", id: "ubuntu", versionId: "25.04" }), NOW).status).toBe("eol");
    expect(lookupEol(os({ distro: "Debian GNU/Linux", release: "12", id: "debian", versionId: "12" }), NOW).status).toBe("supported");
    expect(lookupEol(os({ distro: "Debian GNU/Linux", release: "11", id: "debian", versionId: "11" }), NOW).status).toBe("eol");
    expect(lookupEol(os({ distro: "Red Hat Enterprise Linux", release: "9.4", id: "rhel", versionId: "9.4" }), NOW).entry?.eol).toBe("2032-05-31");
    expect(lookupEol(os({ distro: "Rocky Linux", release: "8.10", id: "rocky", versionId: "8.10" }), NOW).entry?.label).toBe("Rocky Linux 8");
    expect(lookupEol(os({ distro: "AlmaLinux", release: "9.3", id: "almalinux", versionId: "9.3" }), NOW).entry?.label).toBe("AlmaLinux 9");
    expect(lookupEol(os({ distro: "CentOS Linux", release: "7", id: "centos", versionId: "7" }), NOW).status).toBe("eol");
    expect(lookupEol(os({ distro: "CentOS Stream", release: "9", id: "centos", versionId: "9" }), NOW).entry?.product).toBe("centos-stream");
  });

  it("marks macOS dates as estimates", () => {
    const sonoma = lookupEol(os({ platform: "darwin", distro: "macOS", release: "14.6.1" }), NOW);
    expect(sonoma).toMatchObject({ status: "eol", entry: { basis: "estimate", cycle: "14" } });
    expect(lookupEol(os({ platform: "darwin", distro: "macOS", release: "15.1" }), NOW).status).toBe("supported");
    expect(lookupEol(os({ platform: "darwin", distro: "Mac OS X", release: "10.15.7" }), NOW).entry?.cycle).toBe("10.15");
  });

  it("answers unknown, never supported, for releases the table does not know", () => {
    const unknown: OsIdentity[] = [
      os({ distro: "Ubuntu", release: "26.04 LTS", id: "ubuntu", versionId: "26.04" }),
      os({ distro: "Ubuntu", release: "9.10", id: "ubuntu", versionId: "9.10" }),
      os({ distro: "Debian GNU/Linux", release: "trixie/sid", id: "debian", versionId: "" }),
      os({ distro: "Debian GNU/Linux", release: "14", id: "debian", versionId: "14" }),
      os({ distro: "Rocky Linux", release: "7.9", id: "rocky", versionId: "7.9" }),
      os({ distro: "Arch Linux", release: "rolling", id: "arch" }),
      os({ distro: "Alpine Linux", release: "3.20.3", id: "alpine", versionId: "3.20.3" }),
      os({ platform: "win32", distro: "Microsoft Windows 11 Pro", build: "27000" }),
      os({ platform: "win32", distro: "Microsoft Windows 10 Pro", build: "" }),
      os({ platform: "win32", distro: "Microsoft Windows Server 2003", build: "3790" }),
      os({ platform: "darwin", distro: "macOS", release: "27.0" }),
      os({ platform: "freebsd", distro: "FreeBSD", release: "14.1-RELEASE" }),
      os({ platform: "linux", distro: "", release: "" }),
    ];
    for (const o of unknown) {
      const r = lookupEol(o, NOW);
      expect(r.status, `${o.distro} ${o.release} ${o.build}`).toBe("unknown");
      expect(r.entry).toBeUndefined();
      expect(r.reason.length).toBeGreaterThan(0);
    }
  });

  it("turns approaching into eol on the end-of-support day", () => {
    const u = os({ distro: "Ubuntu", id: "ubuntu", versionId: "22.04" });
    expect(lookupEol(u, Date.parse("2026-11-01T00:00:00Z")).status).toBe("approaching");
    expect(lookupEol(u, Date.parse("2027-04-29T23:59:59Z")).status).toBe("approaching");
    expect(lookupEol(u, Date.parse("2027-04-30T00:00:00Z")).status).toBe("eol");
    expect(lookupEol(u, Date.parse("2026-10-31T00:00:00Z")).status).toBe("supported");
  });
});
