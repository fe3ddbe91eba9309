import { describe, expect, it } from "vitest";
import { effectiveRule, effectiveRules, parseParams, type AlertRule } from "./rules.js";
import { rule } from "./testing.js";

const target = { clientId: "c1", siteId: "s1", hostId: "h1", tags: ["sql", "tier:gold"] };

describe("effective rules", () => {
  it("uses the built-in defaults when nothing is stored", () => {
    expect(effectiveRules([], target).map((r) => [r.id, r.kind])).toEqual([
      ["builtin-host-down", "host_down"],
      ["builtin-site-down", "site_down"],
      ["builtin-host-rebooted", "host_rebooted"],
      ["builtin-check-failing", "check_failing"],
      ["builtin-filesystem-full", "threshold"],
      ["builtin-fs-forecast", "fs_forecast"],
      ["builtin-agent-flapping", "agent_flapping"],
    ]);
    expect(effectiveRule([], target, "fs_forecast")?.params).toEqual({ withinDays: 7, repeatMinutes: 1440 });
    expect(effectiveRule([], target, "agent_flapping")?.params).toEqual({ maxReconnectsPerHour: 6, repeatMinutes: 240 });
    // Inventory changes are opt-in: no built-in rule.
    expect(effectiveRule([], target, "inventory_changed")).toBeUndefined();
    expect(parseParams("inventory_changed", {})).toEqual({ changes: ["software", "os", "hardware"] });
    expect(effectiveRule([], target, "host_down")?.params).toEqual({ confirmSeconds: 10, plannedConfirmSeconds: 600, repeatMinutes: 240, flapCount: 3, flapWindowMinutes: 30, stableMinutes: 10 });
  });

  it("lets the most specific scope win: host > tag > site > client > global", () => {
    const rules: AlertRule[] = [
      rule("host_down", { level: "global", id: "" }, { confirmSeconds: 20 }),
      rule("host_down", { level: "client", id: "c1" }, { confirmSeconds: 30 }),
      rule("host_down", { level: "site", id: "s1" }, { confirmSeconds: 40 }),
      rule("host_down", { level: "tag", id: "tier:gold" }, { confirmSeconds: 5 }),
      rule("host_down", { level: "host", id: "h2" }, { confirmSeconds: 1 }),
      rule("host_down", { level: "client", id: "c2" }, { confirmSeconds: 99 }),
    ];
    expect(effectiveRule(rules, target, "host_down")?.params.confirmSeconds).toBe(5);
    expect(effectiveRule(rules, { ...target, tags: [] }, "host_down")?.params.confirmSeconds).toBe(40);
    expect(effectiveRule(rules, { ...target, hostId: "h2" }, "host_down")?.params.confirmSeconds).toBe(1);
    expect(effectiveRule(rules, { clientId: "c3", siteId: "s9", hostId: "h9" }, "host_down")?.params.confirmSeconds).toBe(20);
    // A site is matched without host-level or tag rules.
    expect(effectiveRule(rules, { clientId: "c1", siteId: "s1", hostId: "" }, "host_down")?.params.confirmSeconds).toBe(40);
  });

  it("switches a kind off where its most specific rule is disabled", () => {
    const rules = [rule("host_rebooted", { level: "client", id: "c1" }, {}, { enabled: false })];
    expect(effectiveRule(rules, target, "host_rebooted")).toBeUndefined();
    expect(effectiveRule(rules, { ...target, clientId: "c2" }, "host_rebooted")).toBeDefined();
  });

  it("keeps threshold levels of one metric side by side, and lets a tag rule be bound to one client", () => {
    const rules = [
      rule("threshold", { level: "global", id: "" }, { metric: "filesystem", above: 98 }, { id: "crit", severity: "critical" }),
      rule("threshold", { level: "tag", id: "sql" }, { metric: "cpu", above: 80 }, { id: "other-client", clientId: "c2", severity: "warning" }),
    ];
    expect(effectiveRules(rules, target, "threshold").map((r) => r.id).sort()).toEqual(["builtin-filesystem-full", "crit"]);
    expect(effectiveRules(rules, { ...target, clientId: "c2" }, "threshold").map((r) => r.id).sort()).toEqual(["builtin-filesystem-full", "crit", "other-client"]);
  });

  it("validates parameters and fills in defaults", () => {
    expect(parseParams("threshold", { metric: "load", above: 12 })).toEqual({ metric: "load", above: 12, forSeconds: 300, repeatMinutes: 240 });
    expect(() => parseParams("threshold", { metric: "memory", above: 100 })).toThrow(/must be from 0 to below 100 for metric memory/);
    expect(() => parseParams("host_down", { confirmSeconds: 10, extra: 1 })).toThrow();
  });
});

describe("parameters of the newer kinds", () => {
  const issues = (kind: Parameters<typeof parseParams>[0], params: unknown) => {
    try {
      parseParams(kind, params);
      return [];
    } catch (err) {
      return (err as { issues: Array<{ path: PropertyKey[] }> }).issues.map((i) => i.path.join("."));
    }
  };

  it("refuses out-of-range values and unknown fields, naming the field", () => {
    expect(issues("fs_forecast", { withinDays: 0 })).toEqual(["withinDays"]);
    expect(issues("fs_forecast", { withinDays: 366 })).toEqual(["withinDays"]);
    expect(issues("fs_forecast", { withinDays: 2.5 })).toEqual(["withinDays"]);
    expect(issues("agent_flapping", { maxReconnectsPerHour: 0 })).toEqual(["maxReconnectsPerHour"]);
    expect(issues("agent_flapping", { reconnects: 3 })).toEqual([""]);
    expect(issues("inventory_changed", { changes: [] })).toEqual(["changes"]);
    expect(issues("inventory_changed", { changes: ["services"] })).toEqual(["changes.0"]);
    expect(issues("inventory_changed", { changes: ["os"], extra: true })).toEqual([""]);
    expect(issues("fs_forecast", { withinDays: 14, repeatMinutes: 0 })).toEqual([]);
  });
});
