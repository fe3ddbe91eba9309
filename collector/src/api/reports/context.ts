import type { Context } from "hono";
import type { ReportContext } from "../../reports/sla/build.js";
import type { ApiEnv } from "../router.js";

/** The report context of a request: the store and the agents' intervals the timeline is read with. */
export function reportContext(c: Context<ApiEnv>): ReportContext {
  const { store, timeline, collectorRunId } = c.var.deps;
  return { store, timeline: timeline ?? {}, ...(collectorRunId ? { collectorRunId } : {}) };
}
