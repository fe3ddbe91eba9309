import { describe, expect, it } from "vitest";
import { parseDpkgQuery, parseRegUninstall, parseRpmQuery, parseSystemProfilerApps } from "./inventory-software.js";

describe("software parsers", () => {
  it("keeps installed dpkg packages only, with epoch and maintainer name", () => {
    const text = [
      "install ok installed\topenssh-server\t1:9.2p1-2+deb12u3\tamd64\tDebian OpenSSH Maintainers <debian-ssh@lists.debian.org>",
      "deinstall ok config-files\told-kernel\t6.1.0-10\tamd64\tDebian Kernel Team <debian-kernel@lists.debian.org>",
      "hold ok installed\tlibc6\t2.36-9+deb12u4\tamd64\tGNU Libc Maintainers <debian-glibc@lists.debian.org>",
      "hold ok installed\tlibc6\t2.36-9+deb12u4\ti386\tGNU Libc Maintainers <debian-glibc@lists.debian.org>",
      "install ok half-installed\tbroken\t1.0\tamd64\tX <x@y>",
      "",
    ].join("\n");
    expect(parseDpkgQuery(text)).toEqual([
      { name: "libc6", version: "2.36-9+deb12u4", arch: "amd64", publisher: "GNU Libc Maintainers", source: "dpkg" },
      { name: "libc6", version: "2.36-9+deb12u4", arch: "i386", publisher: "GNU Libc Maintainers", source: "dpkg" },
      { name: "openssh-server", version: "1:9.2p1-2+deb12u3", arch: "amd64", publisher: "Debian OpenSSH Maintainers", source: "dpkg" },
    ]);
  });

  it("reads rpm packages as epoch:version-release, without gpg-pubkey entries", () => {
    const text = [
      "openssl\t1\t3.0.7\t27.el9\tx86_64\tRocky Enterprise Software Foundation",
      "bash\t(none)\t5.1.8\t9.el9\tx86_64\tRed Hat, Inc.",
      "gpg-pubkey\t(none)\t350d275d\t6279464b\t(none)\t(none)",
    ].join("\n");
    expect(parseRpmQuery(text)).toEqual([
      { name: "bash", version: "5.1.8-9.el9", arch: "x86_64", publisher: "Red Hat, Inc.", source: "rpm" },
      { name: "openssl", version: "1:3.0.7-27.el9", arch: "x86_64", publisher: "Rocky Enterprise Software Foundation", source: "rpm" },
    ]);
  });

  it("reads the Windows uninstall keys, hiding system components and child updates", () => {
    const text = [
      "",
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\7-Zip",
      "    DisplayName    REG_SZ    7-Zip 23.01 (x64)",
      "    DisplayVersion    REG_SZ    23.01",
      "    Publisher    REG_SZ    Igor Pavlov",
      "    NoModify    REG_DWORD    0x1",
      "",
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{90160000-008C-0000-1000-0000000FF1CE}",
      "    DisplayName    REG_SZ    Office 16 Click-to-Run Extensibility Component",
      "    SystemComponent    REG_DWORD    0x1",
      "",
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\KB5034441",
      "    DisplayName    REG_SZ    Security Update for Office",
      "    ParentKeyName    REG_SZ    OFFICE16",
      "",
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\NoName",
      "    UninstallString    REG_SZ    C:\\x.exe",
      "",
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{23170F69-40C1-2702-2301-000001000000}",
      "    DisplayName    REG_SZ    Google Chrome",
      "    DisplayVersion    REG_SZ    120.0.6099.130",
      "    Publisher    REG_SZ    Google LLC",
      "    EmptyValue    REG_SZ",
    ].join("\r\n");
    expect(parseRegUninstall(text, "x64")).toEqual([
      { name: "7-Zip 23.01 (x64)", version: "23.01", arch: "x64", publisher: "Igor Pavlov", source: "registry" },
      { name: "Google Chrome", version: "120.0.6099.130", arch: "x64", publisher: "Google LLC", source: "registry" },
    ]);
  });

  it("reads macOS applications from system_profiler JSON", () => {
    const text = JSON.stringify({
      SPApplicationsDataType: [
        { _name: "Safari", version: "17.1", obtained_from: "apple", arch_kind: "arch_arm_i64" },
        { _name: "Slack", version: "4.35.126", obtained_from: "identified_developer", signed_by: ["Developer ID Application: Slack Technologies, Inc. (BQR82RBBHL)"] },
        { version: "1.0" },
      ],
    });
    expect(parseSystemProfilerApps(text)).toEqual([
      { name: "Safari", version: "17.1", arch: "arch_arm_i64", publisher: "Apple", source: "applications" },
      { name: "Slack", version: "4.35.126", arch: "", publisher: "Developer ID Application: Slack Technologies, Inc. (BQR82RBBHL)", source: "applications" },
    ]);
    expect(parseSystemProfilerApps("not json")).toEqual([]);
  });

  it("cuts freak values to the protocol's limits instead of voiding the document", () => {
    const [pkg] = parseDpkgQuery(`install ok installed\t${"x".repeat(400)}\t${"1".repeat(300)}\tamd64\tM <m@x>`);
    expect(pkg!.name).toHaveLength(300);
    expect(pkg!.version).toHaveLength(200);
  });
});
