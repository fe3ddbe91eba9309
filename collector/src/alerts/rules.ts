/**
 * Alert rules: kinds, their parameters with defaults and ranges, built-in defaults that work out of the
 * box, and which rule applies to a host (the most specific scope wins).
 */
import { z } from "zod";
import type { AlertSeverity } from "./channels/index.js";

export const RULE_KINDS = ["host_down", "site_down", "host_rebooted", "check_failing", "threshold", "fs_forecast", "agent_flapping", "inventory_changed"] as const;
/** What a rule watches. */
export type RuleKind = (typeof RULE_KINDS)[number];

export const SCOPE_LEVELS = ["global", "client", "site", "host", "tag"] as const;
/** Where a rule or silence applies. */
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** A rule's or silence's scope. `id` is '' for global; a tag's name for tag (a host profile tag, or `tier:<tier>`). */
export interface Scope {
  level: ScopeLevel;
  id: string;
}

export const THRESHOLD_METRICS = {
  cpu: { name: "cpu.utilization", max: 100, unit: "%" },
  memory: { name: "memory.used_pct", max: 100, unit: "%" },
  filesystem: { name: "fs.used_pct", max: 100, unit: "%" },
  load: { name: "load.1m", max: 10_000, unit: "" },
} as const;
/** Metrics a threshold rule can watch. */
export type ThresholdMetric = keyof typeof THRESHOLD_METRICS;

const int = (min: number, max: number, what: string) =>
  z
    .number({ error: `must be a whole number of ${what} from ${min} to ${max}` })
    .int(`must be a whole number of ${what} from ${min} to ${max}`)
    .min(min, `must be from ${min} to ${max} ${what}`)
    .max(max, `must be from ${min} to ${max} ${what}`);

/** Minutes between re-notifications while an alert fires unacknowledged; 0 = never. Default 4 h. */
const repeatMinutes = int(0, 10_080, "minutes").default(240);

export const HostDownParams = z.strictObject({
  /** How long a lost connection must stay lost before the alert fires. */
  confirmSeconds: int(1, 3600, "seconds").default(10),
  /** The same after a goodbye for a service stop, agent restart or OS shutdown/reboot: a technician is at work. */
  plannedConfirmSeconds: int(0, 86_400, "seconds").default(600),
  repeatMinutes,
  /**
   * Flap suppression: the host's `flapCount`-th confirmed outage within `flapWindowMinutes` fires one alert
   * that says the host is flapping and stays open through its further drops (held, not paged) until the host
   * has stayed connected for `stableMinutes`; then it resolves once. 0 = off.
   */
  flapCount: int(0, 100, "outages")
    .refine((n) => n !== 1, "must be 0 (off) or from 2 to 100 outages")
    .default(3),
  flapWindowMinutes: int(1, 1440, "minutes").default(30),
  stableMinutes: int(1, 1440, "minutes").default(10),
});

export const SiteDownParams = z.strictObject({
  /** Hosts lost within this long of the last one count as one site outage. */
  windowSeconds: int(5, 3600, "seconds").default(60),
  /** Fewest hosts that make a site outage; one host alone is never a site. */
  minHosts: int(2, 10_000, "hosts").default(2),
  repeatMinutes,
});

export const HostRebootedParams = z.strictObject({});

export const CheckFailingParams = z.strictObject({
  /** Failed results in a row that fire the alert. */
  consecutive: int(1, 20, "results").default(3),
  /** Only these checks (by id); empty = every check. */
  checkIds: z.array(z.string().min(1).max(64)).max(50).default([]),
  repeatMinutes,
});

export const ThresholdParams = z
  .strictObject({
    metric: z.enum(Object.keys(THRESHOLD_METRICS) as [ThresholdMetric, ...ThresholdMetric[]], { error: `must be one of ${Object.keys(THRESHOLD_METRICS).join(", ")}` }),
    /** Fires when every sample over `forSeconds` is above this. */
    above: z.number({ error: "must be a number" }).finite(),
    forSeconds: int(30, 86_400, "seconds").default(300),
    repeatMinutes,
  })
  .superRefine((p, ctx) => {
    const max = THRESHOLD_METRICS[p.metric]?.max;
    if (max !== undefined && !(p.above >= 0 && p.above < max)) {
      ctx.addIssue({ code: "custom", path: ["above"], message: `must be from 0 to below ${max} for metric ${p.metric}` });
    }
  });

export const FsForecastParams = z.strictObject({
  /** Fires when the filesystem's usage trend reaches its capacity within this many days. */
  withinDays: int(1, 365, "days").default(7),
  /** A forecast changes by the hour at most: once a day is reminder enough. */
  repeatMinutes: int(0, 10_080, "minutes").default(1440),
});

export const AgentFlappingParams = z.strictObject({
  /** Fires when the agent reconnected more often than this within the last hour. */
  maxReconnectsPerHour: int(1, 1000, "reconnects").default(6),
  repeatMinutes,
});

/** What an inventory change rule can report: software installed or removed, OS changed, hardware (incl. memory, disks) changed. */
export const INVENTORY_CHANGE_KINDS = ["software", "os", "hardware"] as const;
export type InventoryChangeKind = (typeof INVENTORY_CHANGE_KINDS)[number];

export const InventoryChangedParams = z.strictObject({
  changes: z
    .array(z.enum(INVENTORY_CHANGE_KINDS, { error: `must be one of ${INVENTORY_CHANGE_KINDS.join(", ")}` }))
    .min(1, "must name at least one kind of change")
    .max(INVENTORY_CHANGE_KINDS.length)
    .default([...INVENTORY_CHANGE_KINDS]),
});

export type HostDownParams = z.output<typeof HostDownParams>;
export type FsForecastParams = z.output<typeof FsForecastParams>;
export type AgentFlappingParams = z.output<typeof AgentFlappingParams>;
export type InventoryChangedParams = z.output<typeof InventoryChangedParams>;
export type SiteDownParams = z.output<typeof SiteDownParams>;
export type CheckFailingParams = z.output<typeof CheckFailingParams>;
export type ThresholdParams = z.output<typeof ThresholdParams>;

/** The parameter schema of each kind (strict: unknown fields are refused). */
export const PARAMS_SCHEMAS = {
  host_down: HostDownParams,
  site_down: SiteDownParams,
  host_rebooted: HostRebootedParams,
  check_failing: CheckFailingParams,
  threshold: ThresholdParams,
  fs_forecast: FsForecastParams,
  agent_flapping: AgentFlappingParams,
  inventory_changed: InventoryChangedParams,
} as const;

/** Parameters of each kind, defaults applied. */
export interface ParamsOf {
  host_down: HostDownParams;
  site_down: SiteDownParams;
  host_rebooted: Record<string, never>;
  check_failing: CheckFailingParams;
  threshold: ThresholdParams;
  fs_forecast: FsForecastParams;
  agent_flapping: AgentFlappingParams;
  inventory_changed: InventoryChangedParams;
}

export const DEFAULT_SEVERITY: Record<RuleKind, AlertSeverity> = {
  host_down: "critical",
  site_down: "critical",
  host_rebooted: "info",
  check_failing: "warning",
  threshold: "warning",
  fs_forecast: "warning",
  agent_flapping: "warning",
  inventory_changed: "info",
};

export const RULE_NAMES: Record<RuleKind, string> = {
  host_down: "Host down",
  site_down: "Site down",
  host_rebooted: "Host rebooted",
  check_failing: "Check failing",
  threshold: "Threshold exceeded",
  fs_forecast: "Filesystem forecast full",
  agent_flapping: "Agent flapping",
  inventory_changed: "Inventory changed",
};

/** A rule as stored (params already validated and with defaults applied). */
export interface AlertRule {
  id: string;
  /** '' for a global rule (or a tag rule across clients). */
  clientId: string;
  scope: Scope;
  name: string;
  kind: RuleKind;
  params: Record<string, unknown>;
  severity: AlertSeverity;
  enabled: boolean;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  /** True for the defaults that apply when no stored rule does. */
  builtin?: boolean;
}

/** Validates a kind's parameters and fills in defaults; throws the zod error (paths relative to params). */
export function parseParams(kind: RuleKind, params: unknown): Record<string, unknown> {
  return PARAMS_SCHEMAS[kind].parse(params ?? {}) as Record<string, unknown>;
}

function builtin(id: string, kind: RuleKind, params: Record<string, unknown> = {}, severity = DEFAULT_SEVERITY[kind], name = RULE_NAMES[kind]): AlertRule {
  return { id, clientId: "", scope: { level: "global", id: "" }, name, kind, params: parseParams(kind, params), severity, enabled: true, createdAt: 0, createdBy: "vigil", updatedAt: 0, builtin: true };
}

/** Rules that apply when no stored rule of the same kind (and metric/severity) matches a host. */
export const BUILTIN_RULES: readonly AlertRule[] = [
  builtin("builtin-host-down", "host_down"),
  builtin("builtin-site-down", "site_down"),
  builtin("builtin-host-rebooted", "host_rebooted"),
  builtin("builtin-check-failing", "check_failing"),
  builtin("builtin-filesystem-full", "threshold", { metric: "filesystem", above: 95, forSeconds: 300 }, "warning", "Filesystem almost full"),
  builtin("builtin-fs-forecast", "fs_forecast"),
  builtin("builtin-agent-flapping", "agent_flapping"),
  // Inventory changes are opt-in (a stored rule): on a fleet that patches, they are news only to some.
];

/** What a rule is matched against: a host (with its tags) or, with hostId '', a site. */
export interface RuleTarget {
  clientId: string;
  siteId: string;
  hostId: string;
  /** Host profile tags, plus `tier:<tier>`. */
  tags?: readonly string[];
}

const SPECIFICITY: Record<ScopeLevel, number> = { global: 0, client: 1, site: 2, tag: 3, host: 4 };

/** Whether a scope covers the target. A tag scope with a clientId only covers that client's hosts. */
export function scopeMatches(scope: Scope, clientId: string, target: RuleTarget): boolean {
  if (clientId !== "" && clientId !== target.clientId) return false;
  switch (scope.level) {
    case "global":
      return true;
    case "client":
      return scope.id === target.clientId;
    case "site":
      return scope.id === target.siteId;
    case "host":
      return target.hostId !== "" && scope.id === target.hostId;
    case "tag":
      return target.hostId !== "" && (target.tags ?? []).includes(scope.id);
  }
}

/**
 * Rules that rules of the same kind override: one per kind, except threshold rules, where warning and
 * critical levels of one metric coexist.
 */
export function ruleSlot(rule: Pick<AlertRule, "kind" | "params" | "severity">): string {
  return rule.kind === "threshold" ? `threshold:${String(rule.params.metric)}:${rule.severity}` : rule.kind;
}

/**
 * The rules in force for a target, one per slot: the most specific matching rule (host > tag > site >
 * client > global > built-in; a client-bound tag rule before an unbound one; then the newest). A
 * disabled winner switches its slot off for the target.
 */
export function effectiveRules(rules: readonly AlertRule[], target: RuleTarget, kind?: RuleKind): AlertRule[] {
  const best = new Map<string, AlertRule>();
  const rank = (r: AlertRule) => (r.builtin ? -1 : SPECIFICITY[r.scope.level] * 2 + (r.clientId ? 1 : 0));
  for (const r of [...rules, ...BUILTIN_RULES]) {
    if (kind !== undefined && r.kind !== kind) continue;
    if (!scopeMatches(r.scope, r.clientId, target)) continue;
    const slot = ruleSlot(r);
    const current = best.get(slot);
    if (!current || rank(r) > rank(current) || (rank(r) === rank(current) && r.updatedAt > current.updatedAt)) best.set(slot, r);
  }
  return [...best.values()].filter((r) => r.enabled);
}

/** The one rule of a kind in force for a target (kinds other than threshold have one slot), or undefined. */
export function effectiveRule<K extends Exclude<RuleKind, "threshold">>(rules: readonly AlertRule[], target: RuleTarget, kind: K): (AlertRule & { params: ParamsOf[K] }) | undefined {
  return effectiveRules(rules, target, kind)[0] as (AlertRule & { params: ParamsOf[K] }) | undefined;
}
