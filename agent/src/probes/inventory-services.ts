import type { InventoryService, ServiceStartMode, ServiceState } from "@vigil/protocol";
import { clamp, runTool } from "./inventory-exec.js";

/** A source of services besides systemd: systeminformation's `services("*")`. */
export type PortableServices = () => Promise<Array<{ name: string; running: boolean; startmode: string }>>;

/**
 * Services and their state: systemd's own view on Linux (SysV `service --status-all` without systemd),
 * systeminformation's elsewhere (the Windows service manager, launchd).
 */
export async function collectServices(portable: PortableServices, platform: NodeJS.Platform = process.platform): Promise<InventoryService[]> {
  if (platform === "linux") {
    const units = await runTool("systemctl", ["list-units", "--type=service", "--all", "--no-legend", "--plain", "--no-pager"]);
    if (units !== null && units.trim() !== "") {
      const files = await runTool("systemctl", ["list-unit-files", "--type=service", "--no-legend", "--no-pager"]);
      return parseSystemctl(units, files ?? "");
    }
    // systeminformation would run this synchronously, holding up the event loop while every init script answers.
    const sysv = await runTool("service", ["--status-all"], { anyExitCode: true });
    return sysv === null ? [] : parseServiceStatusAll(sysv);
  }
  try {
    return fromPortable(await portable());
  } catch {
    return [];
  }
}

/**
 * Services from `systemctl list-units --type=service --all --no-legend --plain` (UNIT LOAD ACTIVE SUB DESCRIPTION),
 * with their start mode from `systemctl list-unit-files --type=service --no-legend` (UNIT STATE [PRESET]).
 */
export function parseSystemctl(units: string, unitFiles: string): InventoryService[] {
  const fileState = new Map<string, string>();
  for (const line of unitFiles.split("\n")) {
    const [unit, state] = line.trim().split(/\s+/);
    if (unit && state) fileState.set(unit, state);
  }
  const out = new Map<string, InventoryService>();
  for (const raw of units.split("\n")) {
    // Without --plain, failed units start with a "●" marker.
    const line = raw.replace(/^\s*[●*]\s*/, "").trim();
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, unit, load, active, sub, description] = m as unknown as [string, string, string, string, string, string];
    // Units something refers to but that are not installed are not services of this machine.
    if (load === "not-found" || !unit.endsWith(".service")) continue;
    // Instances (getty@tty1.service) take their enablement from their template (getty@.service).
    const template = unit.replace(/@[^.]*\.service$/, "@.service");
    out.set(unit, {
      name: clamp(unit, 300),
      state: systemdState(active, sub),
      startMode: systemdStartMode(fileState.get(unit) ?? fileState.get(template)),
      description: clamp(description, 500),
    });
  }
  return sortServices([...out.values()]);
}

function systemdState(active: string, sub: string): ServiceState {
  switch (active) {
    case "active":
      return sub === "exited" ? "exited" : "running";
    case "reloading":
      return "running";
    case "inactive":
      return "stopped";
    case "failed":
      return "failed";
    case "activating":
      return "starting";
    case "deactivating":
      return "stopping";
    default:
      return "unknown";
  }
}

function systemdStartMode(state: string | undefined): ServiceStartMode {
  switch (state) {
    case "enabled":
    case "enabled-runtime":
    case "alias":
      return "auto";
    case "disabled":
    case "masked":
    case "masked-runtime":
      return "disabled";
    case "static":
    case "indirect":
    case "generated":
    case "transient":
      return "manual";
    default:
      return "unknown";
  }
}

/** Init scripts from `service --status-all`: ` [ + ]  ssh` running, ` [ - ]  cron` stopped, ` [ ? ]  x` unknown. */
export function parseServiceStatusAll(text: string): InventoryService[] {
  const out = new Map<string, InventoryService>();
  for (const line of text.split("\n")) {
    const m = /^\s*\[\s*([+?-])\s*\]\s+(\S+)/.exec(line);
    if (!m) continue;
    const name = clamp(m[2], 300);
    out.set(name, { name, state: m[1] === "+" ? "running" : m[1] === "-" ? "stopped" : "unknown", startMode: "unknown", description: "" });
  }
  return sortServices([...out.values()]);
}

/** Services as systeminformation reports them (Windows service manager, launchd, SysV init scripts). */
export function fromPortable(list: Array<{ name: string; running: boolean; startmode: string }>): InventoryService[] {
  const out = new Map<string, InventoryService>();
  for (const s of list) {
    const name = clamp(s.name, 300);
    if (!name) continue;
    const mode = (s.startmode ?? "").toLowerCase();
    const startMode: ServiceStartMode = mode.startsWith("auto") || mode === "boot" || mode === "system" ? "auto" : mode === "manual" ? "manual" : mode === "disabled" ? "disabled" : "unknown";
    out.set(name, { name, state: s.running ? "running" : "stopped", startMode, description: "" });
  }
  return sortServices([...out.values()]);
}

function sortServices(list: InventoryService[]): InventoryService[] {
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
