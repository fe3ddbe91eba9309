import type { components } from "../../api/schema";

/** An alert as the API lists it. */
export type Alert = components["schemas"]["Alert"];
/** An alert with its delivery log. */
export type AlertDetail = components["schemas"]["AlertDetail"];
/** The states an alert passes through, in order. */
export type AlertState = "firing" | "acknowledged" | "resolved";

/** Rule kinds in words, as the collector names its built-in rules. */
export const RULE_WORDS: Record<string, string> = {
  host_down: "Host down",
  site_down: "Site down",
  host_rebooted: "Host rebooted",
  check_failing: "Check failing",
  threshold: "Threshold exceeded",
  fs_forecast: "Filesystem forecast full",
  agent_flapping: "Agent flapping",
  inventory_changed: "Inventory changed",
};

/** A rule kind in words ("host_down" → "Host down"). */
export function ruleWords(kind: string): string {
  return RULE_WORDS[kind] ?? kind.replace(/_/g, " ");
}

/** How long the alert's condition has lasted: until it resolved, or until now. */
export function alertDurationMs(a: Pick<Alert, "startedAt" | "resolvedAt">, now = Date.now()): number {
  const end = a.resolvedAt ? Date.parse(a.resolvedAt) : now;
  return Math.max(0, end - Date.parse(a.startedAt));
}

/** Who did something, as people read it: sessions are recorded as `user:<name>`, the link as "ack link". */
export function actorWords(actor: string | null | undefined): string {
  if (!actor) return "someone";
  if (actor === "vigil") return "Vigil (condition cleared)";
  return actor.replace(/^user:/, "");
}

const withSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** An instant to the second, for timelines and delivery attempts where seconds matter. */
export function formatInstant(at: string): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? "—" : withSeconds.format(d);
}
