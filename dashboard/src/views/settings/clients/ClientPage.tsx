import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api, call } from "../../../api/client";
import { useApi } from "../../../api/useApi";
import { Field } from "../../../components/Field";
import { Async } from "../../../components/States";
import { formatPct } from "../../../format";
import { FormStatus, Section, useForm } from "../form";
import { DefaultTag, TimeZoneInput, type Schemas } from "../shared";
import { currencyCode, emails, numberIn, required, splitList } from "../validate";
import { CalendarForm } from "./CalendarForm";
import { CostModelForm } from "./CostModelForm";

export type ClientDetail = Schemas["ClientDetail"];

/** Sends a PATCH of the client; resolves to the client as stored now. */
export function patchClient(id: string, body: Record<string, unknown>): Promise<ClientDetail> {
  return call(api.PATCH("/api/v1/clients/{id}", { params: { path: { id } }, body: body as Schemas["PatchClient"] }));
}

/** One client's settings: name, zone and currency, SLA target, business hours, cost model, report e-mails. */
export function ClientPage() {
  const { id = "" } = useParams();
  const loaded = useApi(() => call(api.GET("/api/v1/clients/{id}", { params: { path: { id } } })), [id]);
  const [fresh, setFresh] = useState<ClientDetail>();
  const shown = fresh?.id === id ? { ...loaded, data: fresh } : loaded;
  return (
    <>
      <p>
        <Link to="/settings/clients">← All clients</Link>
      </p>
      <Async state={shown} what="Loading the client">
        {(client) => (
          <>
            <h1>{client.name}</h1>
            <p className="muted">
              Values marked <span className="default-tag">default</span> are not set for this client; reports use the default shown.
            </p>
            <GeneralForm client={client} onSaved={setFresh} />
            <SloForm client={client} onSaved={setFresh} />
            <CalendarForm client={client} onSaved={setFresh} />
            <CostModelForm client={client} onSaved={setFresh} />
            <ReportsForm client={client} onSaved={setFresh} />
          </>
        )}
      </Async>
    </>
  );
}

interface FormProps {
  client: ClientDetail;
  onSaved(client: ClientDetail): void;
}

function GeneralForm({ client, onSaved }: FormProps) {
  const form = useForm();
  const [name, setName] = useState(client.name);
  const [timezone, setTimezone] = useState(client.timezone);
  const [currency, setCurrency] = useState(client.currency);

  async function submit(e: FormEvent) {
    e.preventDefault();
    await form.submit({ name: required(name), timezone: required(timezone), currency: currencyCode(currency) }, async () => {
      const saved = await patchClient(client.id, { name: name.trim(), timezone: timezone.trim(), currency: currency.trim() });
      setTimezone(saved.timezone);
      onSaved(saved);
      return "Saved name, time zone and currency.";
    });
  }

  return (
    <Section title="Name, time zone and currency">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label="Name, time zone and currency">
        <div className="row">
          <Field label="Name" error={form.errors.name}>
            <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
          </Field>
          <Field label="Time zone" error={form.errors.timezone} hint="IANA name; business hours and report periods are in this zone">
            <TimeZoneInput value={timezone} onChange={setTimezone} />
          </Field>
          <Field label="Currency" error={form.errors.currency} hint="Downtime cost is in this currency">
            <input name="currency" value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} maxLength={3} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            Save
          </button>
        </div>
        <FormStatus form={form} fields={["name", "timezone", "currency"]} />
      </form>
    </Section>
  );
}

function SloForm({ client, onSaved }: FormProps) {
  const form = useForm();
  const isDefault = client.effective.defaults.includes("sloPct");
  const [slo, setSlo] = useState(client.policy.sloPct === undefined ? "" : String(client.policy.sloPct));

  function sloProblem(): string | undefined {
    const p = numberIn(slo, 0, 100, { needed: true });
    if (p) return p === "must be from 0 to 100" ? "must be between 0 and 100 (percent)" : p;
    return /\.\d{5,}$/.test(slo.trim()) ? "at most 4 decimal places (99.9999)" : undefined;
  }

  async function save(value: number | null) {
    return form.submit(value === null ? {} : { sloPct: sloProblem() }, async () => {
      const saved = await patchClient(client.id, { sloPct: value });
      onSaved(saved);
      if (value === null) setSlo("");
      return value === null ? `Back to the default, ${formatPct(saved.effective.sloPct, 4)}.` : `SLA target saved: ${formatPct(saved.effective.sloPct, 4)}.`;
    });
  }

  return (
    <Section title="SLA target">
      <form
        ref={form.ref}
        onSubmit={(e) => {
          e.preventDefault();
          void save(Number(slo));
        }}
        noValidate
        aria-label="SLA target"
      >
        <p>
          Reports use <strong>{formatPct(client.effective.sloPct, 4)}</strong>
          <DefaultTag shown={isDefault} /> — the availability promised to the client; the error budget is what is left of 100 %.
        </p>
        <div className="row">
          <Field label="SLA target (SLO %)" error={form.errors.sloPct} hint="From 0 to 100, e.g. 99.9">
            <input name="sloPct" inputMode="decimal" value={slo} placeholder={String(client.effective.sloPct)} onChange={(e) => setSlo(e.target.value)} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            Save
          </button>
          {!isDefault && (
            <button type="button" className="secondary" disabled={form.busy} onClick={() => void save(null)}>
              Use the default
            </button>
          )}
        </div>
        <FormStatus form={form} fields={["sloPct"]} />
      </form>
    </Section>
  );
}

function ReportsForm({ client, onSaved }: FormProps) {
  const form = useForm();
  const [recipients, setRecipients] = useState((client.policy.reportRecipients ?? []).join("\n"));
  const [monthly, setMonthly] = useState(client.effective.reportSchedule.monthly);
  const [quarterly, setQuarterly] = useState(client.effective.reportSchedule.quarterly);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const list = splitList(recipients);
    // Scheduled reports need someone to send them to.
    await form.submit(
      { reportRecipients: emails(list, 20, monthly || quarterly) },
      async () => {
        const saved = await patchClient(client.id, { reportRecipients: list.length ? list : null, reportSchedule: { monthly, quarterly } });
        onSaved(saved);
        return "Saved report recipients and schedule.";
      },
    );
  }

  return (
    <Section title="Report e-mails">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label="Report e-mails">
        <Field label="Recipients" error={form.errors.reportRecipients ?? firstMatching(form.errors, "reportRecipients.")} hint="One address per line, at most 20">
          <textarea name="reportRecipients" rows={3} value={recipients} onChange={(e) => setRecipients(e.target.value)} />
        </Field>
        <fieldset>
          <legend>Send the SLA report by e-mail</legend>
          <div className="checks">
            <label>
              <input type="checkbox" checked={monthly} onChange={(e) => setMonthly(e.target.checked)} /> Every month
            </label>
            <label>
              <input type="checkbox" checked={quarterly} onChange={(e) => setQuarterly(e.target.checked)} /> Every quarter (QBR)
            </label>
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            Save
          </button>
        </div>
        <FormStatus form={form} fields={["reportRecipients", ...Object.keys(form.errors).filter((k) => k.startsWith("reportRecipients."))]} />
      </form>
    </Section>
  );
}

/** The first error of a list field's items ("reportRecipients.2: invalid email"). */
export function firstMatching(errors: Record<string, string>, prefix: string): string | undefined {
  const key = Object.keys(errors).find((k) => k.startsWith(prefix));
  return key ? `item ${Number(key.slice(prefix.length).split(".")[0]) + 1}: ${errors[key]}` : undefined;
}
