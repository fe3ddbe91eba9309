// What each alert rule kind watches and its parameters, mirrored from collector/src/alerts/rules.ts so the form
// can check ranges before sending (the server checks them again).

export type RuleKind = "host_down" | "site_down" | "host_rebooted" | "check_failing" | "threshold" | "fs_forecast" | "agent_flapping" | "inventory_changed";

/** One numeric parameter of a rule kind. */
export interface NumberParam {
  key: string;
  label: string;
  min: number;
  max: number;
  default: number;
  integer: boolean;
}

const repeat: NumberParam = { key: "repeatMinutes", label: "Repeat every (minutes, 0 = never)", min: 0, max: 10_080, default: 240, integer: true };

/** Each kind's name, what it does and its numeric parameters (threshold, check ids and inventory changes are special). */
export const RULE_KINDS: Record<RuleKind, { label: string; does: string; params: NumberParam[] }> = {
  host_down: {
    label: "Host down",
    does: "a host's connection stays lost for the confirmation window",
    params: [
      { key: "confirmSeconds", label: "Confirm after (seconds)", min: 1, max: 3600, default: 10, integer: true },
      { key: "plannedConfirmSeconds", label: "Confirm after a planned stop (seconds)", min: 0, max: 86_400, default: 600, integer: true },
      repeat,
      { key: "flapCount", label: "Flapping after this many outages (0 = off)", min: 0, max: 100, default: 3, integer: true },
      { key: "flapWindowMinutes", label: "…within (minutes)", min: 1, max: 1440, default: 30, integer: true },
      { key: "stableMinutes", label: "Flapping ends after stable for (minutes)", min: 1, max: 1440, default: 10, integer: true },
    ],
  },
  site_down: {
    label: "Site down",
    does: "every host of a site went dark at about the same time",
    params: [
      { key: "windowSeconds", label: "Hosts lost within (seconds)", min: 5, max: 3600, default: 60, integer: true },
      { key: "minHosts", label: "At least this many hosts", min: 2, max: 10_000, default: 2, integer: true },
      repeat,
    ],
  },
  host_rebooted: { label: "Host rebooted", does: "a host comes back with a new boot", params: [] },
  check_failing: {
    label: "Check failing",
    does: "a check's newest results all failed",
    params: [{ key: "consecutive", label: "Failed results in a row", min: 1, max: 20, default: 3, integer: true }, repeat],
  },
  threshold: {
    label: "Metric threshold",
    does: "a metric stays above a level for a while",
    params: [{ key: "forSeconds", label: "For (seconds)", min: 30, max: 86_400, default: 300, integer: true }, repeat],
  },
  fs_forecast: {
    label: "Disk full forecast",
    does: "a filesystem's trend reaches its capacity soon",
    params: [
      { key: "withinDays", label: "Full within (days)", min: 1, max: 365, default: 7, integer: true },
      { ...repeat, default: 1440 },
    ],
  },
  agent_flapping: {
    label: "Agent flapping",
    does: "an agent reconnects too often",
    params: [{ key: "maxReconnectsPerHour", label: "More reconnects per hour than", min: 1, max: 1000, default: 6, integer: true }, repeat],
  },
  inventory_changed: { label: "Inventory changed", does: "software, the OS or hardware of a host changed", params: [] },
};

export const THRESHOLD_METRICS = { cpu: "CPU %", memory: "Memory %", filesystem: "Filesystem %", load: "Load (1 min)" } as const;
export const INVENTORY_CHANGES = ["software", "os", "hardware"] as const;

/** The severity a kind gets when none is chosen. */
export function defaultSeverity(kind: RuleKind): "critical" | "warning" | "info" {
  return kind === "host_down" || kind === "site_down" ? "critical" : kind === "host_rebooted" || kind === "inventory_changed" ? "info" : "warning";
}
