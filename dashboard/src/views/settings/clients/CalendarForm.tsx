import { useState, type FormEvent } from "react";
import { Field } from "../../../components/Field";
import { FormStatus, Section, useForm } from "../form";
import { DefaultTag } from "../shared";
import { clockTime, isoDate, splitList } from "../validate";
import { patchClient, type ClientDetail } from "./ClientPage";

const DAYS = [
  ["mon", "Monday"],
  ["tue", "Tuesday"],
  ["wed", "Wednesday"],
  ["thu", "Thursday"],
  ["fri", "Friday"],
  ["sat", "Saturday"],
  ["sun", "Sunday"],
] as const;
type Day = (typeof DAYS)[number][0];
type Window = { start: string; end: string };
type Weekly = Record<Day, Window[]>;

const OFFICE_HOURS: Weekly = {
  mon: [{ start: "09:00", end: "17:00" }],
  tue: [{ start: "09:00", end: "17:00" }],
  wed: [{ start: "09:00", end: "17:00" }],
  thu: [{ start: "09:00", end: "17:00" }],
  fri: [{ start: "09:00", end: "17:00" }],
  sat: [],
  sun: [],
};

/** Business hours: 24x7, or weekly windows per day plus holidays, in the client's time zone. */
export function CalendarForm({ client, onSaved }: { client: ClientDetail; onSaved(c: ClientDetail): void }) {
  const form = useForm();
  const stored = client.policy.businessCalendar;
  const isDefault = client.effective.defaults.includes("businessCalendar");
  const [mode, setMode] = useState<"24x7" | "calendar">(stored && stored !== "24x7" ? "calendar" : "24x7");
  const [weekly, setWeekly] = useState<Weekly>(() => {
    if (!stored || stored === "24x7") return OFFICE_HOURS;
    return Object.fromEntries(DAYS.map(([d]) => [d, (stored.weekly[d] ?? []).map((w) => ({ ...w }))])) as Weekly;
  });
  const [holidays, setHolidays] = useState(stored && stored !== "24x7" ? (stored.holidays ?? []).join("\n") : "");

  const setWindow = (day: Day, i: number, part: keyof Window, value: string) =>
    setWeekly((w) => ({ ...w, [day]: w[day].map((x, j) => (j === i ? { ...x, [part]: value } : x)) }));
  const addWindow = (day: Day) => setWeekly((w) => ({ ...w, [day]: [...w[day], { start: "09:00", end: "17:00" }] }));
  const removeWindow = (day: Day, i: number) => setWeekly((w) => ({ ...w, [day]: w[day].filter((_, j) => j !== i) }));

  function problems(): Record<string, string | undefined> {
    if (mode === "24x7") return {};
    const out: Record<string, string | undefined> = {};
    for (const [day] of DAYS) {
      weekly[day].forEach((w, i) => {
        out[`businessCalendar.weekly.${day}.${i}.start`] = clockTime(w.start);
        out[`businessCalendar.weekly.${day}.${i}.end`] = clockTime(w.end, true);
      });
    }
    if (DAYS.every(([d]) => weekly[d].length === 0)) out["businessCalendar.weekly"] = "add business hours to at least one day (or choose 24x7)";
    const bad = splitList(holidays).find((h) => isoDate(h));
    if (bad) out["businessCalendar.holidays"] = `"${bad}" ${isoDate(bad)}`;
    return out;
  }

  async function save(value: unknown) {
    await form.submit(value === null ? {} : problems(), async () => {
      const saved = await patchClient(client.id, { businessCalendar: value });
      onSaved(saved);
      return value === null ? "Back to the default: every hour counts (24x7)." : "Saved business hours.";
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (mode === "24x7") return void save("24x7");
    const list = splitList(holidays);
    const days = Object.fromEntries(DAYS.filter(([d]) => weekly[d].length > 0).map(([d]) => [d, weekly[d]]));
    void save({ weekly: days, ...(list.length ? { holidays: list } : {}) });
  }

  const e = form.errors;
  const dayError = (day: Day) => e[`businessCalendar.weekly.${day}`];
  return (
    <Section title="Business hours">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label="Business hours">
        <p>
          Reports count {client.effective.businessCalendar === "24x7" ? "every hour (24x7)" : "the business hours below"}
          <DefaultTag shown={isDefault} />. Times are in the client's time zone, {client.timezone}.
        </p>
        <fieldset>
          <legend>Which hours count for the business-hours SLA</legend>
          <div className="checks">
            <label>
              <input type="radio" name="calendar-mode" checked={mode === "24x7"} onChange={() => setMode("24x7")} /> Every hour (24x7)
            </label>
            <label>
              <input type="radio" name="calendar-mode" checked={mode === "calendar"} onChange={() => setMode("calendar")} /> Business hours
            </label>
          </div>
        </fieldset>
        {mode === "calendar" && (
          <>
            <p className="muted">Times as HH:MM. 24:00 is the end of the day; a closing time before the opening time crosses midnight.</p>
            {e["businessCalendar.weekly"] && (
              <p className="field-error" role="alert">
                {e["businessCalendar.weekly"]}
              </p>
            )}
            {DAYS.map(([day, label]) => (
              <div className="day-row" key={day} role="group" aria-label={label}>
                <strong>{label}</strong>
                <div className="windows">
                  {weekly[day].length === 0 && <span className="muted">Closed</span>}
                  {weekly[day].map((w, i) => (
                    <div className="window" key={i}>
                      <Field label={`${label} opens`} error={e[`businessCalendar.weekly.${day}.${i}.start`]}>
                        <input value={w.start} inputMode="numeric" placeholder="09:00" maxLength={5} onChange={(ev) => setWindow(day, i, "start", ev.target.value)} />
                      </Field>
                      <Field label={`${label} closes`} error={e[`businessCalendar.weekly.${day}.${i}.end`]}>
                        <input value={w.end} inputMode="numeric" placeholder="17:00" maxLength={5} onChange={(ev) => setWindow(day, i, "end", ev.target.value)} />
                      </Field>
                      <button type="button" className="secondary" onClick={() => removeWindow(day, i)} aria-label={`Remove ${label} hours ${w.start}–${w.end}`}>
                        Remove
                      </button>
                    </div>
                  ))}
                  {dayError(day) && <small className="field-error">{dayError(day)}</small>}
                  <div>
                    <button type="button" className="link" onClick={() => addWindow(day)} aria-label={`Add hours on ${label}`}>
                      + Add hours
                    </button>
                  </div>
                </div>
              </div>
            ))}
            <Field label="Holidays" error={e["businessCalendar.holidays"] ?? firstKey(e, "businessCalendar.holidays.")} hint="Dates without business hours, one per line: YYYY-MM-DD">
              <textarea name="holidays" rows={3} value={holidays} onChange={(ev) => setHolidays(ev.target.value)} placeholder="2026-12-25" />
            </Field>
          </>
        )}
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            Save
          </button>
          {!isDefault && (
            <button type="button" className="secondary" disabled={form.busy} onClick={() => void save(null)}>
              Use the default (24x7)
            </button>
          )}
        </div>
        <FormStatus form={form} fields={Object.keys(e).filter((k) => k.startsWith("businessCalendar."))} />
      </form>
    </Section>
  );
}

function firstKey(errors: Record<string, string>, prefix: string): string | undefined {
  const key = Object.keys(errors).find((k) => k.startsWith(prefix));
  return key ? errors[key] : undefined;
}
