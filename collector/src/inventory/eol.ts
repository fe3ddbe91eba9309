import { EOL_TABLE, type EolEntry, type EolProduct, type WindowsEdition } from "./eol-data.js";

/** What identifies an operating system release in an inventory document (`os` section). */
export interface OsIdentity {
  platform: string;
  distro: string;
  release: string;
  build: string;
  id: string;
  versionId: string;
}

/**
 * `supported`: more than `warnDays` of support left; `approaching`: within them; `eol`: past its end of support;
 * `unknown`: the release is not in the table (or could not be recognised). Never "supported" by default.
 */
export type EolStatus = "supported" | "approaching" | "eol" | "unknown";

export interface EolLookup {
  status: EolStatus;
  /** The matching entry, when there is one. */
  entry?: EolEntry;
  /** Days from `now` to the end of support (negative once past). */
  daysLeft?: number;
  /** How the OS was recognised, or why it was not. */
  reason: string;
}

/** A release within this many days of its end of support is a lifecycle risk. */
export const EOL_WARN_DAYS = 180;

const DAY = 86_400_000;

/** Looks an operating system up in the end-of-life table. */
export function lookupEol(os: OsIdentity, now = Date.now(), table: readonly EolEntry[] = EOL_TABLE, warnDays = EOL_WARN_DAYS): EolLookup {
  const found = identify(os);
  if ("unknown" in found) return { status: "unknown", reason: found.unknown };
  const entry = table.find(
    (e) => e.product === found.product && (found.edition === undefined || e.edition === found.edition) && (found.build !== undefined ? e.build === found.build && (!found.cycle || e.cycle === found.cycle) : e.cycle === found.cycle),
  );
  if (!entry) return { status: "unknown", reason: `${found.describe} is not in the end-of-life table` };
  const end = Date.parse(`${entry.eol}T00:00:00Z`);
  const daysLeft = Math.ceil((end - now) / DAY);
  const status: EolStatus = now >= end ? "eol" : daysLeft <= warnDays ? "approaching" : "supported";
  return { status, entry, daysLeft, reason: `${found.describe} is ${entry.label}` };
}

type Identified = { product: EolProduct; cycle?: string; edition?: WindowsEdition; build?: string; describe: string } | { unknown: string };

function identify(os: OsIdentity): Identified {
  const distro = os.distro.trim();
  const id = os.id.toLowerCase();
  const name = `${distro} ${os.release}`.trim() || "an unnamed operating system";
  if (os.platform === "win32" || /\bwindows\b/i.test(distro)) return identifyWindows(os);
  if (os.platform === "darwin" || /\bmac ?os\b|os x/i.test(distro)) {
    const m = /^(10\.\d+|\d+)/.exec(os.release.trim());
    return m ? { product: "macos", cycle: m[1]!, describe: `macOS ${os.release}` } : { unknown: `macOS release "${os.release}" not recognised` };
  }
  const linux: Array<[EolProduct, RegExp, "major" | "major.minor"]> = [
    ["ubuntu", /^ubuntu$|\bubuntu\b/i, "major.minor"],
    ["debian", /^debian$|\bdebian\b/i, "major"],
    ["rhel", /^rhel$|red hat enterprise/i, "major"],
    ["rocky", /^rocky$|\brocky\b/i, "major"],
    ["almalinux", /^almalinux$|\balma ?linux\b/i, "major"],
    ["centos", /^centos$|\bcentos\b/i, "major"],
  ];
  for (const [product, pattern, form] of linux) {
    if (!pattern.test(id) && !pattern.test(distro)) continue;
    const version = os.versionId || /\d+(?:\.\d+)?/.exec(os.release)?.[0] || "";
    const m = form === "major.minor" ? /^(\d+\.\d+)/.exec(version) : /^(\d+)/.exec(version);
    if (!m) return { unknown: `${name}: no version to look up (a testing or rolling release?)` };
    const stream = product === "centos" && /stream/i.test(`${distro} ${os.release}`);
    return { product: stream ? "centos-stream" : product, cycle: m[1]!, describe: `${distro || id} ${version}`.trim() };
  }
  return { unknown: `${name} is not a product the end-of-life table covers` };
}

function identifyWindows(os: OsIdentity): Identified {
  const distro = os.distro;
  const build = os.build || /^\d+\.\d+\.(\d+)/.exec(os.release)?.[1] || "";
  const server = /\bserver\b/i.exec(distro);
  if (server) {
    const year = /server\s+(2008 R2|2012 R2|2008|2012|2016|2019|2022|2025)\b/i.exec(distro)?.[1]?.toUpperCase().replace(/\s+/g, " ");
    if (year) return { product: "windows-server", cycle: year, build: undefined, describe: distro };
    if (build) return { product: "windows-server", build, describe: `${distro} build ${build}` };
    return { unknown: `${distro}: no release year or build to look up` };
  }
  if (!build) return { unknown: `${distro || "Windows"}: no build number to look up` };
  const product: EolProduct = Number(build) >= 22000 ? "windows-11" : "windows-10";
  let edition: WindowsEdition = "home-pro";
  if (/\bLTS[BC]\b/i.test(distro)) edition = /\bIoT\b/i.test(distro) ? "iot-ltsc" : "ltsc";
  else if (/\b(Enterprise|Education)\b/i.test(distro) && !/\bPro Education\b/i.test(distro)) edition = "enterprise-education";
  const editionName = { "home-pro": "Home/Pro", "enterprise-education": "Enterprise/Education", ltsc: "LTSC", "iot-ltsc": "IoT LTSC" }[edition];
  return { product, edition, build, describe: `${distro || (product === "windows-11" ? "Windows 11" : "Windows 10")} (${editionName}, build ${build})` };
}
