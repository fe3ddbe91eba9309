/**
 * End-of-support dates of the operating systems MSP clients run, with the vendor page each date comes from.
 *
 * `eol` is the last day the vendor ships security fixes without a paid extension (Microsoft: end of
 * servicing / extended support; Canonical: end of standard support; Debian: end of LTS; Red Hat and its
 * rebuilds: end of maintenance support; Apple: estimated, see below). `extendedUntil` names a paid or
 * opt-in extension where one exists; the lifecycle report mentions it but does not count it as support.
 *
 * How this table is kept: every entry cites its source and the day it was last checked. The whole table was
 * compiled from the cited vendor pages as known to its author and reviewed on 2026-11-23 without network
 * access (EOL_TABLE_CHECKED_ON). Before a QBR, or when a vendor moves a date, re-check the sources, correct
 * the entry and its `checkedOn`. Releases not listed here are reported as "unknown", never as supported.
 *
 * Apple publishes no end-of-life dates. In practice it ships security fixes for the three newest macOS
 * versions, so a version loses support when the third one after it is released (each September); those
 * entries are marked `basis: "estimate"` and the report says so.
 */

/** Product families the lookup knows. */
export type EolProduct =
  | "windows-10"
  | "windows-11"
  | "windows-server"
  | "ubuntu"
  | "debian"
  | "rhel"
  | "rocky"
  | "almalinux"
  | "centos"
  | "centos-stream"
  | "macos";

/** Windows client servicing groups: each has its own dates for the same feature update. */
export type WindowsEdition = "home-pro" | "enterprise-education" | "ltsc" | "iot-ltsc";

export interface EolEntry {
  product: EolProduct;
  /** The release as the product names it: "22.04", "12", "9", "2019", "2012 R2", "23H2", "LTSC 2021", "14". */
  cycle: string;
  /** Windows client only: the servicing group the dates apply to. */
  edition?: WindowsEdition;
  /** Windows only: the build number this release reports (the third part of 10.0.xxxxx). */
  build?: string;
  /** How the report names it. */
  label: string;
  /** End of (free) security support, YYYY-MM-DD. */
  eol: string;
  /** A paid or opt-in extension of security fixes beyond `eol`, and its name. */
  extendedUntil?: string;
  extendedName?: string;
  /** "vendor": the vendor publishes the date; "estimate": it does not, the date follows its practice. */
  basis: "vendor" | "estimate";
  /** The vendor's lifecycle page for this entry. */
  source: string;
  /** When the entry was last compared with its source. */
  checkedOn: string;
  note?: string;
}

/** When the table as a whole was last reviewed. */
export const EOL_TABLE_CHECKED_ON = "2026-11-23";

const C = EOL_TABLE_CHECKED_ON;

const MS = "https://learn.microsoft.com/lifecycle/products/";
const W10_HOME_PRO = `${MS}windows-10-home-and-pro`;
const W10_ENT_EDU = `${MS}windows-10-enterprise-and-education`;
const W11_HOME_PRO = `${MS}windows-11-home-and-pro`;
const W11_ENT_EDU = `${MS}windows-11-enterprise-and-education`;
const W10_ESU = "Windows 10 Extended Security Updates (paid; commercial licences up to three years)";

const windows10: EolEntry[] = [
  // Home, Pro, Pro Education, Pro for Workstations.
  { product: "windows-10", edition: "home-pro", cycle: "22H2", build: "19045", label: "Windows 10 Home/Pro 22H2", eol: "2025-10-14", extendedUntil: "2028-10-10", extendedName: W10_ESU, basis: "vendor", source: W10_HOME_PRO, checkedOn: C, note: "22H2 is the last Windows 10 release; consumer ESU ran to 2026-10-13" },
  { product: "windows-10", edition: "home-pro", cycle: "21H2", build: "19044", label: "Windows 10 Home/Pro 21H2", eol: "2023-06-13", basis: "vendor", source: W10_HOME_PRO, checkedOn: C },
  { product: "windows-10", edition: "home-pro", cycle: "21H1", build: "19043", label: "Windows 10 Home/Pro 21H1", eol: "2022-12-13", basis: "vendor", source: W10_HOME_PRO, checkedOn: C },
  { product: "windows-10", edition: "home-pro", cycle: "20H2", build: "19042", label: "Windows 10 Home/Pro 20H2", eol: "2022-05-10", basis: "vendor", source: W10_HOME_PRO, checkedOn: C },
  { product: "windows-10", edition: "home-pro", cycle: "2004", build: "19041", label: "Windows 10 Home/Pro 2004", eol: "2021-12-14", basis: "vendor", source: W10_HOME_PRO, checkedOn: C },
  // Enterprise, Education, IoT Enterprise (semi-annual).
  { product: "windows-10", edition: "enterprise-education", cycle: "22H2", build: "19045", label: "Windows 10 Enterprise/Education 22H2", eol: "2025-10-14", extendedUntil: "2028-10-10", extendedName: W10_ESU, basis: "vendor", source: W10_ENT_EDU, checkedOn: C },
  { product: "windows-10", edition: "enterprise-education", cycle: "21H2", build: "19044", label: "Windows 10 Enterprise/Education 21H2", eol: "2024-06-11", basis: "vendor", source: W10_ENT_EDU, checkedOn: C },
  { product: "windows-10", edition: "enterprise-education", cycle: "21H1", build: "19043", label: "Windows 10 Enterprise/Education 21H1", eol: "2022-12-13", basis: "vendor", source: W10_ENT_EDU, checkedOn: C },
  { product: "windows-10", edition: "enterprise-education", cycle: "20H2", build: "19042", label: "Windows 10 Enterprise/Education 20H2", eol: "2023-05-09", basis: "vendor", source: W10_ENT_EDU, checkedOn: C },
  { product: "windows-10", edition: "enterprise-education", cycle: "2004", build: "19041", label: "Windows 10 Enterprise/Education 2004", eol: "2021-12-14", basis: "vendor", source: W10_ENT_EDU, checkedOn: C },
  // Long-term servicing.
  { product: "windows-10", edition: "ltsc", cycle: "LTSC 2021", build: "19044", label: "Windows 10 Enterprise LTSC 2021", eol: "2027-01-12", basis: "vendor", source: `${MS}windows-10-enterprise-ltsc-2021`, checkedOn: C },
  { product: "windows-10", edition: "iot-ltsc", cycle: "IoT LTSC 2021", build: "19044", label: "Windows 10 IoT Enterprise LTSC 2021", eol: "2032-01-13", basis: "vendor", source: `${MS}windows-10-iot-enterprise-ltsc-2021`, checkedOn: C },
  { product: "windows-10", edition: "ltsc", cycle: "LTSC 2019", build: "17763", label: "Windows 10 Enterprise LTSC 2019", eol: "2029-01-09", basis: "vendor", source: `${MS}windows-10-enterprise-ltsc-2019`, checkedOn: C },
  { product: "windows-10", edition: "iot-ltsc", cycle: "IoT LTSC 2019", build: "17763", label: "Windows 10 IoT Enterprise LTSC 2019", eol: "2029-01-09", basis: "vendor", source: `${MS}windows-10-iot-enterprise-ltsc-2019`, checkedOn: C },
  { product: "windows-10", edition: "ltsc", cycle: "LTSB 2016", build: "14393", label: "Windows 10 Enterprise LTSB 2016", eol: "2026-10-13", basis: "vendor", source: `${MS}windows-10-2016-ltsb`, checkedOn: C },
  { product: "windows-10", edition: "ltsc", cycle: "LTSB 2015", build: "10240", label: "Windows 10 Enterprise LTSB 2015", eol: "2025-10-14", basis: "vendor", source: `${MS}windows-10-2015-ltsb`, checkedOn: C },
];

const windows11: EolEntry[] = [
  // Home, Pro, Pro Education, Pro for Workstations, SE: 24 months per feature update.
  { product: "windows-11", edition: "home-pro", cycle: "25H2", build: "26200", label: "Windows 11 Home/Pro 25H2", eol: "2027-10-12", basis: "vendor", source: W11_HOME_PRO, checkedOn: C },
  { product: "windows-11", edition: "home-pro", cycle: "24H2", build: "26100", label: "Windows 11 Home/Pro 24H2", eol: "2026-10-13", basis: "vendor", source: W11_HOME_PRO, checkedOn: C },
  { product: "windows-11", edition: "home-pro", cycle: "23H2", build: "22631", label: "Windows 11 Home/Pro 23H2", eol: "2025-11-11", basis: "vendor", source: W11_HOME_PRO, checkedOn: C },
  { product: "windows-11", edition: "home-pro", cycle: "22H2", build: "22621", label: "Windows 11 Home/Pro 22H2", eol: "2024-10-08", basis: "vendor", source: W11_HOME_PRO, checkedOn: C },
  { product: "windows-11", edition: "home-pro", cycle: "21H2", build: "22000", label: "Windows 11 Home/Pro 21H2", eol: "2023-10-10", basis: "vendor", source: W11_HOME_PRO, checkedOn: C },
  // Enterprise, Education, IoT Enterprise, Enterprise multi-session: 36 months per feature update.
  { product: "windows-11", edition: "enterprise-education", cycle: "25H2", build: "26200", label: "Windows 11 Enterprise/Education 25H2", eol: "2028-10-10", basis: "vendor", source: W11_ENT_EDU, checkedOn: C },
  { product: "windows-11", edition: "enterprise-education", cycle: "24H2", build: "26100", label: "Windows 11 Enterprise/Education 24H2", eol: "2027-10-12", basis: "vendor", source: W11_ENT_EDU, checkedOn: C },
  { product: "windows-11", edition: "enterprise-education", cycle: "23H2", build: "22631", label: "Windows 11 Enterprise/Education 23H2", eol: "2026-11-10", basis: "vendor", source: W11_ENT_EDU, checkedOn: C },
  { product: "windows-11", edition: "enterprise-education", cycle: "22H2", build: "22621", label: "Windows 11 Enterprise/Education 22H2", eol: "2025-10-14", basis: "vendor", source: W11_ENT_EDU, checkedOn: C },
  { product: "windows-11", edition: "enterprise-education", cycle: "21H2", build: "22000", label: "Windows 11 Enterprise/Education 21H2", eol: "2024-10-08", basis: "vendor", source: W11_ENT_EDU, checkedOn: C },
  { product: "windows-11", edition: "ltsc", cycle: "LTSC 2024", build: "26100", label: "Windows 11 Enterprise LTSC 2024", eol: "2029-10-09", basis: "vendor", source: `${MS}windows-11-enterprise-ltsc-2024`, checkedOn: C },
  { product: "windows-11", edition: "iot-ltsc", cycle: "IoT LTSC 2024", build: "26100", label: "Windows 11 IoT Enterprise LTSC 2024", eol: "2034-10-10", basis: "vendor", source: `${MS}windows-11-iot-enterprise-ltsc-2024`, checkedOn: C },
];

const ESU_SERVER = "Extended Security Updates (paid, or free on Azure)";
const windowsServer: EolEntry[] = [
  { product: "windows-server", cycle: "2008 R2", build: "7601", label: "Windows Server 2008 R2", eol: "2020-01-14", extendedUntil: "2023-01-10", extendedName: ESU_SERVER, basis: "vendor", source: `${MS}windows-server-2008-r2`, checkedOn: C },
  { product: "windows-server", cycle: "2012", build: "9200", label: "Windows Server 2012", eol: "2023-10-10", extendedUntil: "2026-10-13", extendedName: ESU_SERVER, basis: "vendor", source: `${MS}windows-server-2012`, checkedOn: C },
  { product: "windows-server", cycle: "2012 R2", build: "9600", label: "Windows Server 2012 R2", eol: "2023-10-10", extendedUntil: "2026-10-13", extendedName: ESU_SERVER, basis: "vendor", source: `${MS}windows-server-2012-r2`, checkedOn: C },
  { product: "windows-server", cycle: "2016", build: "14393", label: "Windows Server 2016", eol: "2027-01-12", basis: "vendor", source: `${MS}windows-server-2016`, checkedOn: C, note: "mainstream support ended 2022-01-11; extended (security) support until 2027-01-12" },
  { product: "windows-server", cycle: "2019", build: "17763", label: "Windows Server 2019", eol: "2029-01-09", basis: "vendor", source: `${MS}windows-server-2019`, checkedOn: C, note: "mainstream support ended 2024-01-09" },
  { product: "windows-server", cycle: "2022", build: "20348", label: "Windows Server 2022", eol: "2031-10-14", basis: "vendor", source: `${MS}windows-server-2022`, checkedOn: C, note: "mainstream support ends 2026-10-13" },
  { product: "windows-server", cycle: "2025", build: "26100", label: "Windows Server 2025", eol: "2034-11-14", basis: "vendor", source: `${MS}windows-server-2025`, checkedOn: C, note: "mainstream support ends 2029-11-13" },
];

const UBUNTU = "https://ubuntu.com/about/release-cycle";
const UBUNTU_WIKI = "https://wiki.ubuntu.com/Releases";
const ESM = "Ubuntu Pro Expanded Security Maintenance (free for up to five machines)";
const MONTH_ONLY = "Canonical states the month; the last day of it is used";
const ubuntu: EolEntry[] = [
  { product: "ubuntu", cycle: "14.04", label: "Ubuntu 14.04 LTS", eol: "2019-04-30", extendedUntil: "2024-04-30", extendedName: ESM, basis: "vendor", source: UBUNTU, checkedOn: C, note: MONTH_ONLY },
  { product: "ubuntu", cycle: "16.04", label: "Ubuntu 16.04 LTS", eol: "2021-04-30", extendedUntil: "2026-04-30", extendedName: ESM, basis: "vendor", source: UBUNTU, checkedOn: C, note: MONTH_ONLY },
  { product: "ubuntu", cycle: "18.04", label: "Ubuntu 18.04 LTS", eol: "2023-05-31", extendedUntil: "2028-04-30", extendedName: ESM, basis: "vendor", source: UBUNTU, checkedOn: C },
  { product: "ubuntu", cycle: "20.04", label: "Ubuntu 20.04 LTS", eol: "2025-05-31", extendedUntil: "2030-04-30", extendedName: ESM, basis: "vendor", source: UBUNTU, checkedOn: C },
  { product: "ubuntu", cycle: "22.04", label: "Ubuntu 22.04 LTS", eol: "2027-04-30", extendedUntil: "2032-04-30", extendedName: ESM, basis: "vendor", source: UBUNTU, checkedOn: C, note: MONTH_ONLY },
  { product: "ubuntu", cycle: "24.04", label: "Ubuntu 24.04 LTS", eol: "2029-04-30", extendedUntil: "2034-04-30", extendedName: ESM, basis: "vendor", source: UBUNTU, checkedOn: C, note: MONTH_ONLY },
  // Interim releases: nine months each.
  { product: "ubuntu", cycle: "22.10", label: "Ubuntu 22.10", eol: "2023-07-20", basis: "vendor", source: UBUNTU_WIKI, checkedOn: C },
  { product: "ubuntu", cycle: "23.04", label: "Ubuntu 23.04", eol: "2024-01-25", basis: "vendor", source: UBUNTU_WIKI, checkedOn: C },
  { product: "ubuntu", cycle: "23.10", label: "Ubuntu 23.10", eol: "2024-07-11", basis: "vendor", source: UBUNTU_WIKI, checkedOn: C },
  { product: "ubuntu", cycle: "24.10", label: "Ubuntu 24.10", eol: "2025-07-10", basis: "vendor", source: UBUNTU_WIKI, checkedOn: C },
  { product: "ubuntu", cycle: "25.04", label: "Ubuntu 25.04", eol: "2026-01-31", basis: "vendor", source: UBUNTU_WIKI, checkedOn: C, note: "January 2026; the last day of the month is used" },
  { product: "ubuntu", cycle: "25.10", label: "Ubuntu 25.10", eol: "2026-07-31", basis: "vendor", source: UBUNTU_WIKI, checkedOn: C, note: "July 2026; the last day of the month is used" },
];

const DEBIAN_LTS = "https://wiki.debian.org/LTS";
const debian: EolEntry[] = [
  { product: "debian", cycle: "9", label: "Debian 9 (stretch)", eol: "2022-06-30", basis: "vendor", source: DEBIAN_LTS, checkedOn: C, note: "end of LTS; paid ELTS from Freexian beyond" },
  { product: "debian", cycle: "10", label: "Debian 10 (buster)", eol: "2024-06-30", basis: "vendor", source: DEBIAN_LTS, checkedOn: C, note: "end of LTS; paid ELTS from Freexian beyond" },
  { product: "debian", cycle: "11", label: "Debian 11 (bullseye)", eol: "2026-08-31", basis: "vendor", source: DEBIAN_LTS, checkedOn: C, note: "security team support ended 2024-08-14; LTS until 2026-08-31" },
  { product: "debian", cycle: "12", label: "Debian 12 (bookworm)", eol: "2028-06-30", basis: "vendor", source: DEBIAN_LTS, checkedOn: C, note: "security team support until 2026-06-10; LTS until 2028-06-30" },
  { product: "debian", cycle: "13", label: "Debian 13 (trixie)", eol: "2030-06-30", basis: "vendor", source: DEBIAN_LTS, checkedOn: C, note: "released 2025-08-09; LTS until 2030-06-30" },
];

const RHEL = "https://access.redhat.com/support/policy/updates/errata";
const ELS = "Red Hat Extended Life Cycle Support (paid add-on)";
const ROCKY = "https://wiki.rockylinux.org/rocky/version/";
const ALMA = "https://wiki.almalinux.org/FAQ.html";
const rhelFamily: EolEntry[] = [
  { product: "rhel", cycle: "7", label: "Red Hat Enterprise Linux 7", eol: "2024-06-30", extendedUntil: "2028-06-30", extendedName: ELS, basis: "vendor", source: RHEL, checkedOn: C },
  { product: "rhel", cycle: "8", label: "Red Hat Enterprise Linux 8", eol: "2029-05-31", extendedUntil: "2032-05-31", extendedName: ELS, basis: "vendor", source: RHEL, checkedOn: C },
  { product: "rhel", cycle: "9", label: "Red Hat Enterprise Linux 9", eol: "2032-05-31", extendedUntil: "2035-05-31", extendedName: ELS, basis: "vendor", source: RHEL, checkedOn: C },
  { product: "rhel", cycle: "10", label: "Red Hat Enterprise Linux 10", eol: "2035-05-31", basis: "vendor", source: RHEL, checkedOn: C },
  { product: "rocky", cycle: "8", label: "Rocky Linux 8", eol: "2029-05-31", basis: "vendor", source: ROCKY, checkedOn: C },
  { product: "rocky", cycle: "9", label: "Rocky Linux 9", eol: "2032-05-31", basis: "vendor", source: ROCKY, checkedOn: C },
  { product: "rocky", cycle: "10", label: "Rocky Linux 10", eol: "2035-05-31", basis: "vendor", source: ROCKY, checkedOn: C },
  { product: "almalinux", cycle: "8", label: "AlmaLinux 8", eol: "2029-03-01", basis: "vendor", source: ALMA, checkedOn: C },
  { product: "almalinux", cycle: "9", label: "AlmaLinux 9", eol: "2032-05-31", basis: "vendor", source: ALMA, checkedOn: C },
  { product: "almalinux", cycle: "10", label: "AlmaLinux 10", eol: "2035-05-31", basis: "vendor", source: ALMA, checkedOn: C },
  { product: "centos", cycle: "7", label: "CentOS Linux 7", eol: "2024-06-30", basis: "vendor", source: "https://www.centos.org/centos-linux-eol/", checkedOn: C },
  { product: "centos", cycle: "8", label: "CentOS Linux 8", eol: "2021-12-31", basis: "vendor", source: "https://www.centos.org/centos-linux-eol/", checkedOn: C },
  { product: "centos-stream", cycle: "8", label: "CentOS Stream 8", eol: "2024-05-31", basis: "vendor", source: "https://www.centos.org/centos-stream/", checkedOn: C },
  { product: "centos-stream", cycle: "9", label: "CentOS Stream 9", eol: "2027-05-31", basis: "vendor", source: "https://www.centos.org/centos-stream/", checkedOn: C, note: "expected end, per the CentOS project" },
];

const APPLE = "https://support.apple.com/en-us/100100";
const APPLE_NOTE = "Apple publishes no end-of-life dates; estimated as the release of the third newer macOS (Apple patches the three newest)";
const macos: EolEntry[] = [
  { product: "macos", cycle: "10.15", label: "macOS 10.15 Catalina", eol: "2022-10-24", basis: "estimate", source: APPLE, checkedOn: C, note: APPLE_NOTE },
  { product: "macos", cycle: "11", label: "macOS 11 Big Sur", eol: "2023-09-26", basis: "estimate", source: APPLE, checkedOn: C, note: APPLE_NOTE },
  { product: "macos", cycle: "12", label: "macOS 12 Monterey", eol: "2024-09-16", basis: "estimate", source: APPLE, checkedOn: C, note: APPLE_NOTE },
  { product: "macos", cycle: "13", label: "macOS 13 Ventura", eol: "2025-09-15", basis: "estimate", source: APPLE, checkedOn: C, note: APPLE_NOTE },
  { product: "macos", cycle: "14", label: "macOS 14 Sonoma", eol: "2026-09-15", basis: "estimate", source: APPLE, checkedOn: C, note: `${APPLE_NOTE}; macOS 27 was expected in September 2026` },
  { product: "macos", cycle: "15", label: "macOS 15 Sequoia", eol: "2027-09-15", basis: "estimate", source: APPLE, checkedOn: C, note: APPLE_NOTE },
  { product: "macos", cycle: "26", label: "macOS 26 Tahoe", eol: "2028-09-15", basis: "estimate", source: APPLE, checkedOn: C, note: APPLE_NOTE },
];

/** The table the lifecycle report uses. */
export const EOL_TABLE: readonly EolEntry[] = [...windows10, ...windows11, ...windowsServer, ...ubuntu, ...debian, ...rhelFamily, ...macos];
