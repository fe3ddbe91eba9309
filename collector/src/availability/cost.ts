/**
 * What downtime cost the client's business, per DESIGN.md:
 *   cost/hour = annual revenue / operating hours × IT dependence + employees × loaded hourly cost × productivity lost
 *   a slice of time with several hosts down costs cost/hour × min(1, Σ their shares of the business);
 *   outside business hours the off-hours factor applies (default 0);
 *   plus recovery cost per incident, SLA penalty per (weighted) hour down, and intangibles as a share
 *   added on top of all of it.
 * Amounts are rounded once, to the currency's minor unit (cents; none for JPY), component by
 * component; the total is the sum of the rounded components, so the figures on a report add up.
 */
import { at, checkNumber, throwIfInvalid, type FieldProblem } from "./errors.js";
import { normalize, type Interval } from "./intervals.js";

/** A client's cost model. Every amount is in `currency`, every share a fraction from 0 to 1. */
export interface CostModel {
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
  annualRevenue: number;
  /** Hours a year the business operates: revenue per hour = annualRevenue / this. */
  operatingHoursPerYear: number;
  /** Share of revenue that stops when IT stops. */
  itDependenceShare: number;
  employees: number;
  /** Cost of one employee-hour with overheads. */
  loadedHourlyCost: number;
  /** Share of employees' productivity lost while IT is down. */
  productivityLossShare: number;
  recoveryCostPerIncident: number;
  /** Contractual penalties the business owes per hour its IT is down. */
  slaPenaltyPerHour: number;
  /** Share added on top of the tangible cost for reputation, churn and the like. */
  intangiblesShare: number;
  /** Weight of downtime outside business hours (0 = free, 1 = as costly as business hours). */
  offHoursFactor: number;
}

/** A cost model as configured: missing fields take defaults (and the report says which). */
export type CostModelInput = Partial<CostModel>;

/**
 * Defaults for a small business, so a report says something before anyone configures a model. They
 * are assumptions, and every report lists which of them it used. operatingHoursPerYear defaults to the
 * business calendar's nominal hours when the caller passes them.
 */
export const COST_MODEL_DEFAULTS: Readonly<CostModel> = Object.freeze({
  currency: "EUR",
  annualRevenue: 2_000_000,
  operatingHoursPerYear: 2_080,
  itDependenceShare: 0.25,
  employees: 20,
  loadedHourlyCost: 45,
  productivityLossShare: 0.5,
  recoveryCostPerIncident: 0,
  slaPenaltyPerHour: 0,
  intangiblesShare: 0,
  offHoursFactor: 0,
});

const SHARES = ["itDependenceShare", "productivityLossShare", "intangiblesShare", "offHoursFactor"] as const;
const AMOUNTS = ["annualRevenue", "employees", "loadedHourlyCost", "recoveryCostPerIncident", "slaPenaltyPerHour"] as const;
const HOUR_MS = 3_600_000;

/** Problems with a (partial) cost model; fields are `<prefix>.<name>`. */
export function costModelProblems(input: unknown, prefix = "costModel"): FieldProblem[] {
  if (typeof input !== "object" || input === null) return [{ field: prefix, problem: "must be an object" }];
  const m = input as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const known = new Set<string>(Object.keys(COST_MODEL_DEFAULTS));
  for (const key of Object.keys(m)) if (!known.has(key)) problems.push({ field: at(prefix, key), problem: "unknown field" });
  if (m.currency !== undefined && !isCurrency(m.currency)) problems.push({ field: at(prefix, "currency"), problem: `must be an ISO 4217 code such as EUR, got ${JSON.stringify(m.currency)}` });
  for (const name of AMOUNTS) if (m[name] !== undefined) problems.push(...checkNumber(m[name], at(prefix, name), { min: 0 }));
  for (const name of SHARES) {
    if (m[name] === undefined) continue;
    const p = checkNumber(m[name], at(prefix, name), { min: 0, max: 1 });
    problems.push(...p.map((x) => (x.problem.startsWith("must be at most") ? { ...x, problem: "must be a share from 0 to 1 (0.25 = 25%)" } : x)));
  }
  if (m.operatingHoursPerYear !== undefined) problems.push(...checkNumber(m.operatingHoursPerYear, at(prefix, "operatingHoursPerYear"), { min: 0, minExclusive: true, max: 8784 }));
  return problems;
}

/** The model with defaults filled in, and the names of the fields that took a default. */
export function resolveCostModel(input: CostModelInput, options: { defaultOperatingHoursPerYear?: number } = {}): { model: CostModel; defaults: (keyof CostModel)[] } {
  throwIfInvalid(costModelProblems(input));
  const base: CostModel = { ...COST_MODEL_DEFAULTS };
  if (options.defaultOperatingHoursPerYear !== undefined && options.defaultOperatingHoursPerYear > 0) base.operatingHoursPerYear = options.defaultOperatingHoursPerYear;
  const defaults: (keyof CostModel)[] = [];
  const model = { ...base } as Record<keyof CostModel, unknown>;
  for (const key of Object.keys(base) as (keyof CostModel)[]) {
    if (input[key] === undefined) defaults.push(key);
    else model[key] = input[key];
  }
  return { model: model as unknown as CostModel, defaults };
}

/** A host with the share of the business it takes down (default: an equal share of the hosts given). */
export interface CostHost {
  hostId: string;
  share?: number;
}

/** A DOWN interval that costs money (excluded incidents are left out by the caller). */
export interface CostIncident {
  id: string;
  hostId: string;
  start: number;
  end: number;
  /** Incidents with the same key share one recovery cost (the site incident's id for its members). */
  recoveryKey?: string;
}

/** What the cost is computed from. */
export interface DowntimeCostInput {
  model: CostModelInput;
  /** Every host of the client (shares default to 1 / their number), including hosts that were never down. */
  hosts: readonly CostHost[];
  incidents: readonly CostIncident[];
  /** Business hours (scheduledIntervals of the calendar); outside them the off-hours factor applies. */
  businessHours: readonly Interval[] | "24x7";
  /** Default for operatingHoursPerYear: nominalHoursPerYear of the calendar. */
  defaultOperatingHoursPerYear?: number;
}

/** The cost of downtime, its parts, the formula with the numbers in it, and what went in. */
export interface DowntimeCost {
  currency: string;
  total: number;
  revenue: number;
  productivity: number;
  recovery: number;
  penalty: number;
  intangible: number;
  /** Human-readable, one step per line, with the actual numbers. */
  formula: string;
  inputs: {
    model: CostModel;
    /** Fields of the model that took a default value. */
    defaults: (keyof CostModel)[];
    hosts: { hostId: string; share: number; shareIsDefault: boolean }[];
    revenuePerHour: number;
    costPerHour: number;
    /** Hours down inside business hours, each slice weighted by min(1, Σ shares). */
    weightedBusinessHours: number;
    /** The same outside business hours, before the off-hours factor. */
    weightedOffHours: number;
    /** weightedBusinessHours + weightedOffHours × offHoursFactor: what the hourly rates are multiplied by. */
    chargedHours: number;
    /** Incidents that bear a recovery cost (a site incident counts once). */
    recoveryIncidents: number;
  };
  /** Each host's part (its incidents), rounded separately: may differ from the total by rounding. */
  byHost: { hostId: string; cost: number }[];
  /** Each incident's part, rounded separately. */
  byIncident: { id: string; cost: number }[];
}

/** The cost of the given downtime under the model. Throws InvalidInputError naming a bad field. */
export function downtimeCost(input: DowntimeCostInput): DowntimeCost {
  throwIfInvalid([...costModelProblems(input.model), ...inputProblems(input)]);
  const opts = input.defaultOperatingHoursPerYear === undefined ? {} : { defaultOperatingHoursPerYear: input.defaultOperatingHoursPerYear };
  const { model, defaults } = resolveCostModel(input.model, opts);
  const defaultShare = input.hosts.length ? 1 / input.hosts.length : 0;
  const hosts = [...input.hosts]
    .sort((a, b) => (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0))
    .map((h) => ({ hostId: h.hostId, share: h.share ?? defaultShare, shareIsDefault: h.share === undefined }));
  const shareOf = new Map(hosts.map((h) => [h.hostId, h.share]));

  const revenuePerHour = model.annualRevenue / model.operatingHoursPerYear;
  const revenueRate = revenuePerHour * model.itDependenceShare;
  const productivityRate = model.employees * model.loadedHourlyCost * model.productivityLossShare;
  const hourlyRate = revenueRate + productivityRate + model.slaPenaltyPerHour;

  const incidents = [...input.incidents].sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const slices = downSlices(incidents, shareOf, input.businessHours, model.offHoursFactor);

  // Recovery is owed once per recovery key, and split evenly among the incidents that share it.
  const groups = new Map<string, string[]>();
  for (const i of incidents) {
    const key = i.recoveryKey ?? i.id;
    const ids = groups.get(key);
    if (ids) ids.push(i.id);
    else groups.set(key, [i.id]);
  }
  const recoveryOf = new Map<string, number>();
  for (const ids of groups.values()) for (const id of ids) recoveryOf.set(id, model.recoveryCostPerIncident / ids.length);

  const digits = minorDigits(model.currency);
  const round = (x: number) => toMinor(x, digits);
  const revenueMinor = round(revenueRate * slices.chargedHours);
  const productivityMinor = round(productivityRate * slices.chargedHours);
  const recoveryMinor = round(model.recoveryCostPerIncident * groups.size);
  const penaltyMinor = round(model.slaPenaltyPerHour * slices.chargedHours);
  const tangibleMinor = revenueMinor + productivityMinor + recoveryMinor + penaltyMinor;
  const intangibleMinor = round((model.intangiblesShare * tangibleMinor) / 10 ** digits);
  const major = (minor: number) => minor / 10 ** digits;

  const byIncident: DowntimeCost["byIncident"] = [];
  const hostSums = new Map<string, number>();
  for (const i of incidents) {
    const amount = ((slices.chargedHoursOf.get(i.id) ?? 0) * hourlyRate + (recoveryOf.get(i.id) ?? 0)) * (1 + model.intangiblesShare);
    byIncident.push({ id: i.id, cost: major(round(amount)) });
    hostSums.set(i.hostId, (hostSums.get(i.hostId) ?? 0) + amount);
  }
  const byHost = hosts.map((h) => ({ hostId: h.hostId, cost: major(round(hostSums.get(h.hostId) ?? 0)) }));

  const parts = {
    revenue: major(revenueMinor),
    productivity: major(productivityMinor),
    recovery: major(recoveryMinor),
    penalty: major(penaltyMinor),
    intangible: major(intangibleMinor),
  };
  const total = major(tangibleMinor + intangibleMinor);
  const inputs: DowntimeCost["inputs"] = {
    model,
    defaults,
    hosts,
    revenuePerHour,
    costPerHour: revenueRate + productivityRate,
    weightedBusinessHours: slices.businessHours,
    weightedOffHours: slices.offHours,
    chargedHours: slices.chargedHours,
    recoveryIncidents: groups.size,
  };
  return { currency: model.currency, total, ...parts, formula: formula(model, inputs, parts, total, digits, revenueRate, productivityRate), inputs, byHost, byIncident };
}

interface Slices {
  businessHours: number;
  offHours: number;
  chargedHours: number;
  /** Per incident: its part of the charged hours (its host's share of each slice's weight). */
  chargedHoursOf: Map<string, number>;
}

// Sweeps the incidents and the business-hour boundaries in time order; between two boundaries the
// set of hosts down is constant, so each slice is weighted once by min(1, Σ shares).
function downSlices(incidents: readonly CostIncident[], shareOf: Map<string, number>, businessHours: readonly Interval[] | "24x7", offHoursFactor: number): Slices {
  type Event = { t: number; kind: "start" | "end"; incident?: CostIncident; business?: boolean };
  const events: Event[] = [];
  for (const i of incidents) if (i.end > i.start) events.push({ t: i.start, kind: "start", incident: i }, { t: i.end, kind: "end", incident: i });
  let inBusiness = businessHours === "24x7";
  if (businessHours !== "24x7" && incidents.length > 0) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const i of incidents) {
      lo = Math.min(lo, i.start);
      hi = Math.max(hi, i.end);
    }
    for (const b of normalize(businessHours)) {
      if (b.end <= lo || b.start >= hi) continue;
      events.push({ t: b.start, kind: "start", business: true }, { t: b.end, kind: "end", business: true });
    }
  }
  events.sort((a, b) => a.t - b.t);
  const open = new Map<string, CostIncident[]>();
  const out: Slices = { businessHours: 0, offHours: 0, chargedHours: 0, chargedHoursOf: new Map() };
  for (let k = 0; k < events.length; ) {
    const t = events[k]!.t;
    for (; k < events.length && events[k]!.t === t; k++) {
      const e = events[k]!;
      if (e.business) inBusiness = e.kind === "start";
      else if (e.incident) {
        const hostId = e.incident.hostId;
        const list = open.get(hostId);
        if (e.kind === "start") {
          if (list) list.push(e.incident);
          else open.set(hostId, [e.incident]);
        } else if (list) {
          list.splice(list.indexOf(e.incident), 1);
          if (list.length === 0) open.delete(hostId);
        }
      }
    }
    const next = events[k]?.t;
    if (next === undefined || open.size === 0) continue;
    const hours = (next - t) / HOUR_MS;
    // Summed afresh for each slice (few hosts are down at once): a running sum would drift off zero.
    let shares = 0;
    for (const hostId of open.keys()) shares += shareOf.get(hostId) ?? 0;
    const weight = Math.min(1, shares);
    const factor = inBusiness ? 1 : offHoursFactor;
    if (inBusiness) out.businessHours += hours * weight;
    else out.offHours += hours * weight;
    const charged = hours * weight * factor;
    out.chargedHours += charged;
    if (shares === 0) continue;
    for (const [hostId, list] of open) {
      // A host down in two overlapping incidents (it should not be) splits its part between them.
      const part = (charged * (shareOf.get(hostId) ?? 0)) / shares / list.length;
      for (const i of list) out.chargedHoursOf.set(i.id, (out.chargedHoursOf.get(i.id) ?? 0) + part);
    }
  }
  return out;
}

function inputProblems(input: DowntimeCostInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const ids = new Set<string>();
  input.hosts.forEach((h, i) => {
    if (ids.has(h.hostId)) problems.push({ field: at("hosts", i, "hostId"), problem: `host ${JSON.stringify(h.hostId)} is listed twice` });
    ids.add(h.hostId);
    if (h.share !== undefined) {
      const p = checkNumber(h.share, at("hosts", i, "share"), { min: 0, max: 1 });
      problems.push(...p.map((x) => (x.problem.startsWith("must be at most") ? { ...x, problem: "must be a share from 0 to 1 (1 = the whole business)" } : x)));
    }
  });
  input.incidents.forEach((inc, i) => {
    if (!ids.has(inc.hostId)) problems.push({ field: at("incidents", i, "hostId"), problem: `host ${JSON.stringify(inc.hostId)} is not among hosts` });
    if (!Number.isFinite(inc.start) || !Number.isFinite(inc.end) || inc.end < inc.start) problems.push({ field: at("incidents", i, "end"), problem: "must be a finite instant not before start" });
  });
  return problems;
}

function isCurrency(code: unknown): code is string {
  return typeof code === "string" && /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf("currency").includes(code);
}

/** Decimal places of the currency's minor unit (2 for EUR, 0 for JPY, 3 for BHD). */
export function minorDigits(currency: string): number {
  return numberFormat(`currency:${currency}`, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

// Building an Intl.NumberFormat costs far more than using one, and a fleet report formats thousands of figures.
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat("en-US", options);
    if (numberFormats.size >= 500) numberFormats.clear();
    numberFormats.set(key, f);
  }
  return f;
}

// toPrecision(15) strips binary noise first, so 1.005 € becomes 100.5 cents and rounds to 101, as on paper.
function toMinor(amount: number, digits: number): number {
  return Math.round(Number((amount * 10 ** digits).toPrecision(15)));
}

function money(currency: string, amount: number, digits: number): string {
  return `${currency} ${numberFormat(`fixed:${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount)}`;
}

function num(x: number, maxDigits = 4): string {
  return numberFormat(`max:${maxDigits}`, { maximumFractionDigits: maxDigits }).format(x);
}

function pct(share: number): string {
  return `${num(share * 100, 2)}%`;
}

function formula(
  m: CostModel,
  inputs: DowntimeCost["inputs"],
  parts: { revenue: number; productivity: number; recovery: number; penalty: number; intangible: number },
  total: number,
  digits: number,
  revenueRate: number,
  productivityRate: number,
): string {
  const c = (x: number) => money(m.currency, x, digits);
  // Rates and hours are shown to four decimals so the products can be checked before rounding to the cent.
  const rate = (x: number) => `${m.currency} ${num(x)}/h`;
  const h = (x: number) => `${num(x)} h`;
  const defaulted = inputs.defaults.length ? `defaults used for: ${inputs.defaults.join(", ")}` : "no defaults used";
  return [
    `cost per hour = annual revenue / operating hours × IT dependence + employees × loaded hourly cost × productivity lost`,
    `  = ${c(m.annualRevenue)} / ${num(m.operatingHoursPerYear)} h × ${pct(m.itDependenceShare)} + ${num(m.employees)} × ${c(m.loadedHourlyCost)} × ${pct(m.productivityLossShare)}`,
    `  = ${rate(revenueRate)} + ${rate(productivityRate)} = ${rate(revenueRate + productivityRate)}`,
    `hours down, each slice × min(1, Σ shares of the hosts down) = ${h(inputs.weightedBusinessHours)} in business hours + ${h(inputs.weightedOffHours)} outside × ${num(m.offHoursFactor)} = ${h(inputs.chargedHours)}`,
    `revenue = ${rate(revenueRate)} × ${h(inputs.chargedHours)} = ${c(parts.revenue)}`,
    `productivity = ${rate(productivityRate)} × ${h(inputs.chargedHours)} = ${c(parts.productivity)}`,
    `recovery = ${inputs.recoveryIncidents} incidents × ${c(m.recoveryCostPerIncident)} = ${c(parts.recovery)}`,
    `penalty = ${rate(m.slaPenaltyPerHour)} × ${h(inputs.chargedHours)} = ${c(parts.penalty)}`,
    `intangible = ${pct(m.intangiblesShare)} × (${c(parts.revenue)} + ${c(parts.productivity)} + ${c(parts.recovery)} + ${c(parts.penalty)}) = ${c(parts.intangible)}`,
    `total = ${c(parts.revenue)} + ${c(parts.productivity)} + ${c(parts.recovery)} + ${c(parts.penalty)} + ${c(parts.intangible)} = ${c(total)}`,
    `(${defaulted})`,
  ].join("\n");
}
