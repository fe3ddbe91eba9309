import type { InventorySoftware } from "@vigil/protocol";
import { clamp, runTool } from "./inventory-exec.js";

/** Installed software from the platform's own package database: dpkg or rpm, the registry, or /Applications. */
export async function collectSoftware(platform: NodeJS.Platform = process.platform): Promise<InventorySoftware[]> {
  switch (platform) {
    case "linux": {
      const dpkg = await runTool("dpkg-query", ["-W", "-f", DPKG_FORMAT]);
      if (dpkg !== null) {
        const packages = parseDpkgQuery(dpkg);
        if (packages.length > 0) return packages;
      }
      const rpm = await runTool("rpm", ["-qa", "--qf", RPM_FORMAT]);
      return rpm === null ? [] : parseRpmQuery(rpm);
    }
    case "win32": {
      const keys = [
        ["HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall", "x64"],
        ["HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall", "x86"],
      ] as const;
      const found: InventorySoftware[] = [];
      for (const [key, arch] of keys) {
        const out = await runTool("reg", ["query", key, "/s"]);
        if (out !== null) found.push(...parseRegUninstall(out, arch));
      }
      return dedupe(found);
    }
    case "darwin": {
      const out = await runTool("system_profiler", ["SPApplicationsDataType", "-json", "-detailLevel", "mini"], { timeoutMs: 180_000 });
      return out === null ? [] : parseSystemProfilerApps(out);
    }
    default:
      return [];
  }
}

// Status first: only "install ok installed" (and held packages) are really on the machine.
const DPKG_FORMAT = "${Status}\\t${Package}\\t${Version}\\t${Architecture}\\t${Maintainer}\\n";
const RPM_FORMAT = "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{VENDOR}\\n";

/** Packages from `dpkg-query -W -f '${Status}\t${Package}\t${Version}\t${Architecture}\t${Maintainer}\n'`. */
export function parseDpkgQuery(text: string): InventorySoftware[] {
  const out: InventorySoftware[] = [];
  for (const line of text.split("\n")) {
    const [status, name, version, arch, maintainer] = line.split("\t");
    // "install ok installed", "hold ok installed"; not "deinstall ok config-files" or half-installed states.
    if (!status || !name || !/ installed$/.test(status)) continue;
    out.push({ name: clamp(name, 300), version: clamp(version, 200), arch: clamp(arch, 50), publisher: clamp(maintainer?.replace(/\s*<[^>]*>\s*$/, ""), 300), source: "dpkg" });
  }
  return sortSoftware(out);
}

/** Packages from `rpm -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{VENDOR}\n'`. */
export function parseRpmQuery(text: string): InventorySoftware[] {
  const out: InventorySoftware[] = [];
  for (const line of text.split("\n")) {
    const [name, epoch, version, release, arch, vendor] = line.split("\t");
    // gpg-pubkey "packages" are the keys rpm trusts, not software.
    if (!name || name === "gpg-pubkey" || version === undefined) continue;
    const e = epoch && epoch !== "(none)" && epoch !== "0" ? `${epoch}:` : "";
    const r = release && release !== "(none)" ? `-${release}` : "";
    out.push({ name: clamp(name, 300), version: clamp(`${e}${version}${r}`, 200), arch: clamp(arch === "(none)" ? "" : arch, 50), publisher: clamp(vendor === "(none)" ? "" : vendor, 300), source: "rpm" });
  }
  return sortSoftware(out);
}

/**
 * Programs from `reg query <...\Uninstall> /s`: every subkey with a DisplayName, except system components
 * and updates that belong to another entry (ParentKeyName), which Programs and Features hides too.
 */
export function parseRegUninstall(text: string, arch: string): InventorySoftware[] {
  const out: InventorySoftware[] = [];
  let values: Map<string, string> | null = null;
  const flush = () => {
    if (!values) return;
    const name = values.get("DisplayName");
    const hidden = values.get("SystemComponent") === "0x1" || values.has("ParentKeyName");
    if (name && !hidden) {
      out.push({ name: clamp(name, 300), version: clamp(values.get("DisplayVersion"), 200), arch, publisher: clamp(values.get("Publisher"), 300), source: "registry" });
    }
    values = null;
  };
  for (const raw of text.split(/\r?\n/)) {
    if (/^HKEY_/i.test(raw)) {
      flush();
      values = new Map();
      continue;
    }
    const m = /^\s{2,}(\S.*?)\s{2,}(REG_\w+)(?:\s{2,}(.*))?$/.exec(raw);
    if (m && values) values.set(m[1]!, (m[3] ?? "").trim());
  }
  flush();
  return sortSoftware(out);
}

/** Applications from `system_profiler SPApplicationsDataType -json`. */
export function parseSystemProfilerApps(text: string): InventorySoftware[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  const apps = (data as { SPApplicationsDataType?: unknown }).SPApplicationsDataType;
  if (!Array.isArray(apps)) return [];
  const out: InventorySoftware[] = [];
  for (const app of apps as Array<Record<string, unknown>>) {
    const name = clamp(app._name, 300);
    if (!name) continue;
    const signedBy = Array.isArray(app.signed_by) ? app.signed_by[0] : "";
    const publisher = app.obtained_from === "apple" ? "Apple" : signedBy;
    out.push({ name, version: clamp(app.version, 200), arch: clamp(app.arch_kind, 50), publisher: clamp(publisher, 300), source: "applications" });
  }
  return dedupe(out);
}

function dedupe(list: InventorySoftware[]): InventorySoftware[] {
  const seen = new Set<string>();
  return sortSoftware(list.filter((s) => {
    const key = `${s.name}\0${s.version}\0${s.arch}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }));
}

/** By name, then architecture and version: the order the content hash relies on. */
export function sortSoftware(list: InventorySoftware[]): InventorySoftware[] {
  return list.sort((a, b) => cmp(a.name, b.name) || cmp(a.arch, b.arch) || cmp(a.version, b.version));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
