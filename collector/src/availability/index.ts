/**
 * Availability core: from evidence to the numbers a vCIO presents. Pure functions, no I/O; the store,
 * the API and the reports call them. See README.md for the model and the formulas.
 */
export * from "./errors.js";
export * from "./intervals.js";
export * from "./civil-time.js";
export * from "./timezone.js";
export * from "./business-calendar.js";
export * from "./maintenance.js";
export * from "./segments.js";
export * from "./checks.js";
export * from "./timeline.js";
export * from "./site-outages.js";
export * from "./incidents.js";
export * from "./sla.js";
export * from "./cost.js";
