import { useState, type FormEvent } from "react";
import { Field } from "../../../components/Field";
import { formatMoney } from "../../../format";
import { FormStatus, Section, useForm } from "../form";
import { DefaultTag } from "../shared";
import { numberIn } from "../validate";
import { patchClient, type ClientDetail } from "./ClientPage";

type CostField = "annualRevenue" | "operatingHoursPerYear" | "itDependenceShare" | "employees" | "loadedHourlyCost" | "productivityLossShare" | "recoveryCostPerIncident" | "slaPenaltyPerHour" | "intangiblesShare" | "offHoursFactor";

/** The cost model's inputs; shares are typed as percent here and sent as 0–1. */
const FIELDS: Array<{ key: CostField; label: string; kind: "money" | "count" | "hours" | "share"; hint: string }> = [
  { key: "annualRevenue", label: "Annual revenue", kind: "money", hint: "In the client's currency" },
  { key: "operatingHoursPerYear", label: "Operating hours per year", kind: "hours", hint: "Up to 8,784; default: the business hours' nominal hours" },
  { key: "itDependenceShare", label: "Revenue that depends on IT (%)", kind: "share", hint: "Share of revenue that stops when IT stops" },
  { key: "employees", label: "Employees affected", kind: "count", hint: "People who cannot work during an outage" },
  { key: "loadedHourlyCost", label: "Loaded hourly staff cost", kind: "money", hint: "One employee-hour with overheads" },
  { key: "productivityLossShare", label: "Productivity lost (%)", kind: "share", hint: "While IT is down" },
  { key: "recoveryCostPerIncident", label: "Recovery cost per incident", kind: "money", hint: "Technician time, call-outs" },
  { key: "slaPenaltyPerHour", label: "SLA penalty per hour down", kind: "money", hint: "Contractual penalty" },
  { key: "intangiblesShare", label: "Intangibles (%)", kind: "share", hint: "Added on top for reputation, churn" },
  { key: "offHoursFactor", label: "Weight outside business hours (%)", kind: "share", hint: "0 = downtime outside business hours costs nothing" },
];

const toInput = (kind: string, v: number | undefined) => (v === undefined ? "" : kind === "share" ? String(+(v * 100).toFixed(6)) : String(v));

/** Downtime cost inputs: blank fields take the default shown as placeholder. */
export function CostModelForm({ client, onSaved }: { client: ClientDetail; onSaved(c: ClientDetail): void }) {
  const form = useForm();
  const stored = (client.policy.costModel ?? {}) as Partial<Record<CostField, number>>;
  const [values, setValues] = useState<Record<CostField, string>>(
    () => Object.fromEntries(FIELDS.map((f) => [f.key, toInput(f.kind, stored[f.key])])) as Record<CostField, string>,
  );
  const effective = client.effective.costModel;
  const defaults = new Set(client.effective.defaults);

  function problems(): Record<string, string | undefined> {
    return Object.fromEntries(
      FIELDS.map((f) => {
        const v = values[f.key];
        const p = f.kind === "share" ? numberIn(v, 0, 100) : f.kind === "hours" ? numberIn(v, 1, 8784) : f.kind === "count" ? numberIn(v, 0, 10_000_000, { integer: true }) : numberIn(v, 0, 1e15);
        return [`costModel.${f.key}`, p && f.kind === "share" ? "must be a percentage from 0 to 100" : p];
      }),
    );
  }

  async function save(reset: boolean) {
    await form.submit(reset ? {} : problems(), async () => {
      const model = Object.fromEntries(
        FIELDS.filter((f) => values[f.key].trim() !== "").map((f) => [f.key, f.kind === "share" ? Number(values[f.key]) / 100 : Number(values[f.key])]),
      );
      const saved = await patchClient(client.id, { costModel: reset || Object.keys(model).length === 0 ? null : model });
      if (reset) setValues(Object.fromEntries(FIELDS.map((f) => [f.key, ""])) as Record<CostField, string>);
      onSaved(saved);
      return reset ? "Every cost input is back to its default." : "Saved the cost model.";
    });
  }

  const perHour = effective.annualRevenue / Math.max(1, effective.operatingHoursPerYear);
  const costPerHour = perHour * effective.itDependenceShare + effective.employees * effective.loadedHourlyCost * effective.productivityLossShare;
  return (
    <Section title="Downtime cost model">
      <form
        ref={form.ref}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void save(false);
        }}
        noValidate
        aria-label="Downtime cost model"
      >
        <p>
          Cost per hour down = revenue per hour × IT dependence + employees × hourly cost × productivity lost ≈{" "}
          <strong>{formatMoney(costPerHour, client.currency)}</strong> per hour with the values reports use now, plus recovery per incident,
          penalties and intangibles. Leave a field blank to use its default.
        </p>
        <div className="grid">
          {FIELDS.map((f) => {
            const isDefault = defaults.has(`costModel.${f.key}`);
            const eff = effective[f.key];
            return (
              <Field
                key={f.key}
                label={f.label}
                error={form.errors[`costModel.${f.key}`]}
                hint={`${f.hint}. ${isDefault ? "Default" : "Reports use"}: ${f.kind === "share" ? `${+(eff * 100).toFixed(4)} %` : f.kind === "money" ? formatMoney(eff, client.currency) : eff.toLocaleString()}${isDefault ? " (not set)" : ""}`}
              >
                <input
                  name={f.key}
                  inputMode="decimal"
                  value={values[f.key]}
                  placeholder={toInput(f.kind, eff)}
                  onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                />
              </Field>
            );
          })}
        </div>
        <p className="muted">
          Fields at their default: {FIELDS.filter((f) => defaults.has(`costModel.${f.key}`)).length} of {FIELDS.length}
          <DefaultTag shown={FIELDS.some((f) => defaults.has(`costModel.${f.key}`))} />
        </p>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            Save
          </button>
          {client.policy.costModel && (
            <button type="button" className="secondary" disabled={form.busy} onClick={() => void save(true)}>
              Use every default
            </button>
          )}
        </div>
        <FormStatus form={form} fields={FIELDS.map((f) => `costModel.${f.key}`)} />
      </form>
    </Section>
  );
}
