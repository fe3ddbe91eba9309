import { describe, expect, it } from "vitest";
import { COST_MODEL_DEFAULTS, downtimeCost, resolveCostModel, type CostModelInput, type DowntimeCostInput } from "./cost.js";
import { InvalidInputError } from "./errors.js";

const H = 3_600_000;
const model: CostModelInput = {
  currency: "EUR",
  annualRevenue: 1_000_000,
  operatingHoursPerYear: 2_000,
  itDependenceShare: 0.5,
  employees: 10,
  loadedHourlyCost: 40,
  productivityLossShare: 0.5,
  recoveryCostPerIncident: 150,
  slaPenaltyPerHour: 100,
  intangiblesShare: 0.1,
  offHoursFactor: 0,
};
const plain: CostModelInput = { ...model, recoveryCostPerIncident: 0, slaPenaltyPerHour: 0, intangiblesShare: 0 };
const cost = (over: Partial<DowntimeCostInput>) => downtimeCost({ model, hosts: [{ hostId: "a", share: 1 }], incidents: [], businessHours: "24x7", ...over });

describe("downtime cost", () => {
  it("matches the hand computation for one host down 2 hours", () => {
    // revenue/h = 1,000,000 / 2,000 = 500; × 50% = 250/h; productivity = 10 × 40 × 50% = 200/h; cost/h = 450.
    // revenue 500, productivity 400, recovery 150, penalty 100 × 2 = 200, intangible 10% × 1,250 = 125; total 1,375.
    const c = cost({ incidents: [{ id: "i1", hostId: "a", start: 0, end: 2 * H }] });
    expect(c).toMatchObject({ currency: "EUR", total: 1375, revenue: 500, productivity: 400, recovery: 150, penalty: 200, intangible: 125 });
    expect(c.inputs).toMatchObject({ revenuePerHour: 500, costPerHour: 450, weightedBusinessHours: 2, weightedOffHours: 0, chargedHours: 2, recoveryIncidents: 1, defaults: [] });
    expect(c.byIncident).toEqual([{ id: "i1", cost: 1375 }]);
    expect(c.byHost).toEqual([{ hostId: "a", cost: 1375 }]);
  });

  it("states the formula with the actual numbers", () => {
    const c = cost({ incidents: [{ id: "i1", hostId: "a", start: 0, end: 2 * H }] });
    expect(c.formula).toContain("= EUR 1,000,000.00 / 2,000 h × 50% + 10 × EUR 40.00 × 50%");
    expect(c.formula).toContain("= EUR 250/h + EUR 200/h = EUR 450/h");
    expect(c.formula).toContain("= 2 h in business hours + 0 h outside × 0 = 2 h");
    expect(c.formula).toContain("recovery = 1 incidents × EUR 150.00 = EUR 150.00");
    expect(c.formula).toContain("intangible = 10% × (EUR 500.00 + EUR 400.00 + EUR 150.00 + EUR 200.00) = EUR 125.00");
    expect(c.formula).toContain("total = EUR 500.00 + EUR 400.00 + EUR 150.00 + EUR 200.00 + EUR 125.00 = EUR 1,375.00");
    expect(c.formula).toContain("(no defaults used)");
  });

  it("several hosts down at once cost cost/hour × min(1, Σ shares)", () => {
    // a (0.5) 10–12, b (0.3) 11–13, c (0.4) 11:00–11:30.
    // 10–11: 0.5 × 1 h; 11–11:30: min(1, 1.2) × 0.5 h; 11:30–12: 0.8 × 0.5 h; 12–13: 0.3 × 1 h → 1.7 h.
    const c = downtimeCost({
      model: plain,
      hosts: [
        { hostId: "a", share: 0.5 },
        { hostId: "b", share: 0.3 },
        { hostId: "c", share: 0.4 },
      ],
      incidents: [
        { id: "ia", hostId: "a", start: 10 * H, end: 12 * H },
        { id: "ib", hostId: "b", start: 11 * H, end: 13 * H },
        { id: "ic", hostId: "c", start: 11 * H, end: 11.5 * H },
      ],
      businessHours: "24x7",
    });
    expect(c.inputs.chargedHours).toBeCloseTo(1.7, 12);
    expect(c).toMatchObject({ revenue: 425, productivity: 340, total: 765 });
    // Each slice's cost is split by share: a 0.958333 h, b 0.575 h, c 0.166667 h (× 450/h).
    expect(c.byHost).toEqual([
      { hostId: "a", cost: 431.25 },
      { hostId: "b", cost: 258.75 },
      { hostId: "c", cost: 75 },
    ]);
  });

  it("a whole site down never costs more than the whole business", () => {
    const hosts = ["a", "b", "c", "d"].map((hostId) => ({ hostId, share: 1 }));
    const c = downtimeCost({ model: plain, hosts, incidents: hosts.map((h) => ({ id: h.hostId, hostId: h.hostId, start: 0, end: H })), businessHours: "24x7" });
    expect(c.total).toBe(450);
  });

  it("outside business hours the off-hours factor applies (default 0)", () => {
    const businessHours = [{ start: 9 * H, end: 17 * H }];
    const incidents = [{ id: "i", hostId: "a", start: 16 * H, end: 18 * H }];
    const free = downtimeCost({ model: plain, hosts: [{ hostId: "a", share: 1 }], incidents, businessHours });
    expect(free.inputs).toMatchObject({ weightedBusinessHours: 1, weightedOffHours: 1, chargedHours: 1 });
    expect(free.total).toBe(450);
    const half = downtimeCost({ model: { ...plain, offHoursFactor: 0.5 }, hosts: [{ hostId: "a", share: 1 }], incidents, businessHours });
    expect(half.inputs.chargedHours).toBe(1.5);
    expect(half.total).toBe(675);
    expect(half.formula).toContain("= 1 h in business hours + 1 h outside × 0.5 = 1.5 h");
  });

  it("hosts without a share take an equal share of the hosts given", () => {
    const c = downtimeCost({ model: plain, hosts: [{ hostId: "a" }, { hostId: "b" }, { hostId: "c" }, { hostId: "d" }], incidents: [{ id: "i", hostId: "a", start: 0, end: H }], businessHours: "24x7" });
    expect(c.inputs.chargedHours).toBe(0.25);
    expect(c.inputs.hosts[0]).toEqual({ hostId: "a", share: 0.25, shareIsDefault: true });
    expect(c.total).toBe(112.5);
  });

  it("members of one site incident share one recovery cost", () => {
    const c = downtimeCost({
      model: { ...plain, recoveryCostPerIncident: 150 },
      hosts: [{ hostId: "a", share: 0 }, { hostId: "b", share: 0 }],
      incidents: [
        { id: "a1", hostId: "a", start: 0, end: H, recoveryKey: "site:s@0" },
        { id: "b1", hostId: "b", start: 0, end: H, recoveryKey: "site:s@0" },
        { id: "a2", hostId: "a", start: 5 * H, end: 6 * H },
      ],
      businessHours: "24x7",
    });
    expect(c).toMatchObject({ recovery: 300, total: 300 });
    expect(c.byIncident).toEqual([
      { id: "a1", cost: 75 },
      { id: "b1", cost: 75 },
      { id: "a2", cost: 150 },
    ]);
  });

  it("rounds each part once to the currency's minor unit; the total is the sum of the parts", () => {
    // 1.005 is 1.00499999… in binary; on paper it rounds to 1.01.
    const c = downtimeCost({ model: { ...plain, annualRevenue: 1.005, operatingHoursPerYear: 1, itDependenceShare: 1, employees: 0 }, hosts: [{ hostId: "a", share: 1 }], incidents: [{ id: "i", hostId: "a", start: 0, end: H }], businessHours: "24x7" });
    expect(c.revenue).toBe(1.01);
    const yen = downtimeCost({ model: { ...plain, currency: "JPY", annualRevenue: 10_000_000, operatingHoursPerYear: 3_000, itDependenceShare: 1, employees: 0 }, hosts: [{ hostId: "a", share: 1 }], incidents: [{ id: "i", hostId: "a", start: 0, end: H }], businessHours: "24x7" });
    expect(yen.total).toBe(3333);
    expect(yen.formula).toContain("JPY 10,000,000 / 3,000 h");
    const parts = cost({ model: { ...model, annualRevenue: 1_234_567, intangiblesShare: 0.137 }, incidents: [{ id: "i", hostId: "a", start: 0, end: 1.2345 * H }] });
    expect(Math.round((parts.revenue + parts.productivity + parts.recovery + parts.penalty + parts.intangible) * 100)).toBe(Math.round(parts.total * 100));
  });

  it("no downtime costs nothing", () => {
    expect(cost({}).total).toBe(0);
  });

  it("is the same whatever the order of hosts and incidents", () => {
    const hosts = [{ hostId: "a", share: 0.5 }, { hostId: "b", share: 0.3 }];
    const incidents = [{ id: "ia", hostId: "a", start: 0, end: 2 * H }, { id: "ib", hostId: "b", start: H, end: 3 * H }];
    const one = downtimeCost({ model, hosts, incidents, businessHours: "24x7" });
    const two = downtimeCost({ model, hosts: [...hosts].reverse(), incidents: [...incidents].reverse(), businessHours: "24x7" });
    expect(two).toEqual(one);
  });
});

describe("cost model", () => {
  it("fills defaults and says which", () => {
    const { model: m, defaults } = resolveCostModel({ currency: "USD", employees: 5 }, { defaultOperatingHoursPerYear: 2_600 });
    expect(m).toEqual({ ...COST_MODEL_DEFAULTS, currency: "USD", employees: 5, operatingHoursPerYear: 2_600 });
    expect(defaults).not.toContain("currency");
    expect(defaults).not.toContain("employees");
    expect(defaults).toContain("operatingHoursPerYear");
    expect(defaults).toHaveLength(9);
    expect(COST_MODEL_DEFAULTS.offHoursFactor).toBe(0);
  });

  it("a report with no model at all still says something, and marks every input as a default", () => {
    const c = downtimeCost({ model: {}, hosts: [{ hostId: "a", share: 1 }], incidents: [{ id: "i", hostId: "a", start: 0, end: H }], businessHours: "24x7" });
    // 2,000,000 / 2,080 × 25% + 20 × 45 × 50% = 240.3846… + 450 = 690.38 per hour.
    expect(c.total).toBe(690.38);
    expect(c.inputs.defaults).toHaveLength(11);
    expect(c.formula).toContain("defaults used for: currency, annualRevenue, operatingHoursPerYear");
  });

  it("rejects negative and out-of-range inputs with a field error", () => {
    const field = (m: unknown, extra: Partial<DowntimeCostInput> = {}) => {
      try {
        downtimeCost({ model: m as CostModelInput, hosts: [{ hostId: "a" }], incidents: [], businessHours: "24x7", ...extra });
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidInputError);
        return `${(e as InvalidInputError).field}: ${(e as InvalidInputError).problems[0]!.problem}`;
      }
      return "accepted";
    };
    expect(field({ annualRevenue: -1 })).toBe("costModel.annualRevenue: must not be negative");
    expect(field({ recoveryCostPerIncident: -0.01 })).toBe("costModel.recoveryCostPerIncident: must not be negative");
    expect(field({ itDependenceShare: 1.5 })).toBe("costModel.itDependenceShare: must be a share from 0 to 1 (0.25 = 25%)");
    expect(field({ offHoursFactor: -0.5 })).toBe("costModel.offHoursFactor: must not be negative");
    expect(field({ operatingHoursPerYear: 0 })).toBe("costModel.operatingHoursPerYear: must be greater than 0");
    expect(field({ operatingHoursPerYear: 9000 })).toBe("costModel.operatingHoursPerYear: must be at most 8784");
    expect(field({ currency: "euro" })).toMatch(/^costModel.currency: must be an ISO 4217 code/);
    expect(field({ currency: "XXY" })).toMatch(/^costModel.currency/);
    expect(field({ employeez: 3 })).toBe("costModel.employeez: unknown field");
    expect(field({ employees: Number.NaN })).toBe("costModel.employees: must be a finite number");
    expect(field({}, { hosts: [{ hostId: "a", share: -0.1 }] })).toBe("hosts[0].share: must not be negative");
    expect(field({}, { hosts: [{ hostId: "a", share: 2 }] })).toBe("hosts[0].share: must be a share from 0 to 1 (1 = the whole business)");
    expect(field({}, { incidents: [{ id: "i", hostId: "zz", start: 0, end: 1 }] })).toBe('incidents[0].hostId: host "zz" is not among hosts');
    expect(field({ annualRevenue: 0, employees: 0 })).toBe("accepted");
    // Every problem is reported at once, model and hosts alike.
    expect(() => downtimeCost({ model: { annualRevenue: -1 }, hosts: [{ hostId: "a", share: 2 }], incidents: [], businessHours: "24x7" })).toThrow(
      /costModel.annualRevenue: must not be negative; hosts\[0\].share/,
    );
  });
});
