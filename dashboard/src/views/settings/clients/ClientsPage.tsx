import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { api, call } from "../../../api/client";
import { useSession } from "../../../api/session";
import { Field } from "../../../components/Field";
import { Async, Empty } from "../../../components/States";
import { formatTime } from "../../../format";
import { FormStatus, Section, useForm } from "../form";
import { TimeZoneInput, useClients } from "../shared";
import { currencyCode, required } from "../validate";

/** The clients: a list linking to each client's policy, and (for an admin) a form to add one. */
export function ClientsPage() {
  const { can } = useSession();
  const clients = useClients();
  return (
    <>
      <h1>Clients</h1>
      <Async state={clients} what="Loading clients">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>No clients yet — {can("admin") ? "create the first one below." : "an administrator creates them."}</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="muted">Open a client to set its SLA target, business hours, cost model and report recipients.</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Time zone</th>
                    <th scope="col">Currency</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link to={`/settings/clients/${c.id}`}>{c.name}</Link>
                      </td>
                      <td>{c.timezone}</td>
                      <td>{c.currency}</td>
                      <td>{formatTime(c.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
      {can("admin") && <CreateClientForm onCreated={clients.reload} />}
    </>
  );
}

function CreateClientForm({ onCreated }: { onCreated(): void }) {
  const navigate = useNavigate();
  const form = useForm();
  const [name, setName] = useState("");
  const [timezone, setTimezone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  const [currency, setCurrency] = useState("EUR");

  async function submit(e: FormEvent) {
    e.preventDefault();
    await form.submit({ name: required(name), timezone: required(timezone), currency: currencyCode(currency) }, async () => {
      const created = await call(api.POST("/api/v1/clients", { body: { name: name.trim(), timezone: timezone.trim(), currency: currency.trim() } }));
      setName("");
      onCreated();
      void navigate(`/settings/clients/${created.id}`);
      return `Created ${created.name}.`;
    });
  }

  return (
    <Section title="New client">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label="New client">
        <div className="row">
          <Field label="Name" error={form.errors.name}>
            <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoComplete="organization" />
          </Field>
          <Field label="Time zone" error={form.errors.timezone} hint="IANA name; business hours and reports use it">
            <TimeZoneInput value={timezone} onChange={setTimezone} />
          </Field>
          <Field label="Currency" error={form.errors.currency} hint="ISO 4217 code of downtime cost">
            <input name="currency" value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} maxLength={3} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            {form.busy ? "Creating…" : "Create client"}
          </button>
        </div>
        <FormStatus form={form} fields={["name", "timezone", "currency"]} />
      </form>
    </Section>
  );
}
