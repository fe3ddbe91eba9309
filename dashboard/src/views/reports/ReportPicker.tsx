import { useEffect, useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { customPeriodProblems, PERIODS, todayIn, type Hours, type PeriodPreset, type ReportSelection } from "./period";
import type { Client } from "./types";

/**
 * The report's parameters: client (when `clients` is given), period and hours. A preset applies at once;
 * custom dates apply with the button once they are valid, so a half-typed date never fires a request.
 */
export function ReportPicker(props: {
  clients?: Client[];
  selection: ReportSelection;
  timeZone: string;
  onApply(next: ReportSelection): void;
  /** The server's problems with the period, by field, shown beside the dates. */
  serverErrors?: Record<string, string>;
}) {
  const { selection, timeZone, onApply, clients, serverErrors = {} } = props;
  const [from, setFrom] = useState(selection.from);
  const [to, setTo] = useState(selection.to);
  const [errors, setErrors] = useState<Record<string, string>>({});

  // A link or the back button changed the URL: show its dates, and what is wrong with them if anything.
  useEffect(() => {
    setFrom(selection.from);
    setTo(selection.to);
    setErrors(selection.period === "custom" && (selection.from || selection.to) ? customPeriodProblems(selection, timeZone) : {});
  }, [selection.from, selection.to, selection.period, timeZone]);

  const apply = (patch: Partial<ReportSelection>) => onApply({ ...selection, ...patch });

  const submitCustom = (e: FormEvent) => {
    e.preventDefault();
    const problems = customPeriodProblems({ from, to }, timeZone);
    setErrors(problems);
    if (Object.keys(problems).length === 0) apply({ period: "custom", from, to });
  };

  const today = todayIn(timeZone);
  return (
    <form className="report-picker no-print" onSubmit={submitCustom} aria-label="Report parameters">
      {clients && (
        <Field label="Client">
          <select value={selection.clientId} onChange={(e) => apply({ clientId: e.target.value })}>
            {selection.clientId === "" && <option value="">Choose a client…</option>}
            {clients.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label="Period" hint={`Days in ${timeZone}`}>
        <select
          value={selection.period}
          onChange={(e) => {
            const period = e.target.value as PeriodPreset;
            // Custom starts from the dates already typed, or waits for them.
            if (period === "custom") apply({ period, from, to });
            else apply({ period });
          }}
        >
          {PERIODS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </Field>
      {selection.period === "custom" && (
        <>
          <Field label="From" error={errors.from ?? serverErrors.from}>
            <input type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} required />
          </Field>
          <Field label="To (inclusive)" error={errors.to ?? serverErrors.to}>
            <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} required />
          </Field>
          <div className="field picker-apply">
            <button type="submit">Show report</button>
          </div>
        </>
      )}
      <fieldset className="field hours">
        <legend>Hours</legend>
        <div className="radios">
        {(
          [
            ["all", "24x7"],
            ["business", "Business hours"],
          ] as [Hours, string][]
        ).map(([value, label]) => (
          <label key={value} className="radio">
            <input type="radio" name="hours" value={value} checked={selection.hours === value} onChange={() => apply({ hours: value })} /> {label}
          </label>
        ))}
        </div>
      </fieldset>
    </form>
  );
}
