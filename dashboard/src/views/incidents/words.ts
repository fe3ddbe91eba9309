import type { components } from "../../api/schema";

/** An incident as GET /incidents lists it. */
export type Incident = components["schemas"]["Incident"];

const CAUSE_WORDS: Record<string, string> = {
  crash: "Crash (came back with a new boot)",
  reboot: "Reboot",
  power_or_network: "Power or network outage (whole site dark)",
  site_network: "Site network outage",
  check_failed: "Service check failed",
  agent_silent: "Not reporting (host unreachable)",
};

/** An incident's cause in words people use ("power_or_network" → "Power or network outage …"). */
export function causeWords(cause: string): string {
  return CAUSE_WORDS[cause] ?? cause.replace(/_/g, " ");
}

/** Who did something, as people read it (sessions are recorded as `user:<name>`). */
export function actorWords(actor: string | null | undefined): string {
  return actor ? actor.replace(/^user:/, "") : "someone";
}

const withSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** An instant to the second: incidents are often shorter than a minute. */
export function formatInstant(at: string | null | undefined): string {
  const d = new Date(at ?? "");
  return Number.isNaN(d.getTime()) ? "—" : withSeconds.format(d);
}
