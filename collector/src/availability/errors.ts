/** One problem with one field of an input: the API turns it into a 400 naming the field. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `weekly.fri[0].end` or `model.annualRevenue`. */
  field: string;
  problem: string;
}

/**
 * Input the availability core cannot compute with. It carries every problem found, so a caller can
 * show them all at once; `field` and `message` name the first, matching the API's `"<field>: <problem>"`.
 */
export class InvalidInputError extends Error {
  readonly problems: readonly FieldProblem[];

  constructor(problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.problem}`).join("; ") || "invalid input");
    this.name = "InvalidInputError";
    this.problems = problems;
  }

  /** The first field at fault. */
  get field(): string {
    return this.problems[0]?.field ?? "";
  }
}

/** Throws an InvalidInputError when there are problems; returns nothing otherwise. */
export function throwIfInvalid(problems: readonly FieldProblem[]): void {
  if (problems.length > 0) throw new InvalidInputError(problems);
}

/** Field path helper: `at("weekly", "fri", 0, "end")` → `weekly.fri[0].end`. */
export function at(...parts: (string | number)[]): string {
  let out = "";
  for (const p of parts) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${p}` : p;
  }
  return out;
}

/** Problems for a number that must be finite (and optionally within bounds). */
export function checkNumber(
  value: unknown,
  field: string,
  opts: { min?: number; max?: number; integer?: boolean; minExclusive?: boolean } = {},
): FieldProblem[] {
  if (typeof value !== "number" || !Number.isFinite(value)) return [{ field, problem: "must be a finite number" }];
  if (opts.integer && !Number.isInteger(value)) return [{ field, problem: "must be a whole number" }];
  if (opts.min !== undefined) {
    if (opts.minExclusive ? value <= opts.min : value < opts.min) {
      return [{ field, problem: opts.min === 0 && !opts.minExclusive ? "must not be negative" : `must be ${opts.minExclusive ? "greater than" : "at least"} ${opts.min}` }];
    }
  }
  if (opts.max !== undefined && value > opts.max) return [{ field, problem: `must be at most ${opts.max}` }];
  return [];
}
