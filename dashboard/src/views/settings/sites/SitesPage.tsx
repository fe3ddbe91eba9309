import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api, call } from "../../../api/client";
import { Field } from "../../../components/Field";
import { Async, Empty } from "../../../components/States";
import { FormStatus, Section, useForm } from "../form";
import { ClientPicker, TimeZoneInput, useChosenClient, useClients, useSites, type Client, type Site } from "../shared";
import { required } from "../validate";

/** A client's sites: add one, rename it, or give it its own time zone. */
export function SitesPage() {
  const clients = useClients();
  const [clientId, setClientId] = useChosenClient(clients.data?.items);
  return (
    <>
      <h1>Sites</h1>
      <Async state={clients} what="Loading clients">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              No clients yet — <Link to="/settings/clients">create a client</Link> first, then add its sites here.
            </Empty>
          ) : (
            <>
              <ClientPicker clients={items} value={clientId} onChange={setClientId} />
              {clientId && <ClientSites key={clientId} client={items.find((c) => c.id === clientId)!} />}
            </>
          )
        }
      </Async>
    </>
  );
}

function ClientSites({ client }: { client: Client }) {
  const sites = useSites(client.id);
  return (
    <>
      <Async state={sites} what="Loading sites">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>{client.name} has no sites yet — add the first one below (an office, a data centre), then create an enrollment token for it.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Site</th>
                    <th scope="col">Time zone</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <SiteRow key={s.id} site={s} client={client} onSaved={sites.reload} />
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
      <CreateSiteForm client={client} onCreated={sites.reload} />
    </>
  );
}

function SiteRow({ site, client, onSaved }: { site: Site; client: Client; onSaved(): void }) {
  const form = useForm();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(site.name);
  const [timezone, setTimezone] = useState(site.timezone ?? "");

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await form.submit({ name: required(name) }, async () => {
      await call(api.PATCH("/api/v1/sites/{id}", { params: { path: { id: site.id } }, body: { name: name.trim(), timezone: timezone.trim() === "" ? null : timezone.trim() } }));
      return "Saved.";
    });
    if (ok) {
      setEditing(false);
      onSaved();
    }
  }

  if (!editing) {
    return (
      <tr>
        <td>{site.name}</td>
        <td>
          {site.timezone ?? (
            <>
              {client.timezone} <span className="muted">(the client's)</span>
            </>
          )}{" "}
          <button type="button" className="link" onClick={() => setEditing(true)} aria-label={`Edit ${site.name}`}>
            Edit
          </button>
        </td>
      </tr>
    );
  }
  return (
    <tr>
      <td colSpan={2}>
        <form ref={form.ref} onSubmit={submit} noValidate aria-label={`Edit site ${site.name}`}>
          <div className="row">
            <Field label="Site name" error={form.errors.name}>
              <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
            </Field>
            <Field label="Time zone override" error={form.errors.timezone} hint={`Blank: the client's (${client.timezone})`}>
              <TimeZoneInput value={timezone} onChange={setTimezone} placeholder={client.timezone} />
            </Field>
          </div>
          <div className="actions">
            <button type="submit" disabled={form.busy}>
              Save site
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
          <FormStatus form={form} fields={["name", "timezone"]} />
        </form>
      </td>
    </tr>
  );
}

function CreateSiteForm({ client, onCreated }: { client: Client; onCreated(): void }) {
  const form = useForm();
  const [name, setName] = useState("");

  async function submit(e: FormEvent) {
    e.preventDefault();
    await form.submit({ name: required(name) }, async () => {
      const site = await call(api.POST("/api/v1/sites", { body: { clientId: client.id, name: name.trim() } }));
      setName("");
      onCreated();
      return `Added ${site.name}.`;
    });
  }

  return (
    <Section title={`New site for ${client.name}`} id="new-site">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label="New site">
        <div className="row">
          <Field label="Site name" error={form.errors.name} hint="e.g. Head office">
            <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            Add site
          </button>
        </div>
        <FormStatus form={form} fields={["name"]} />
      </form>
    </Section>
  );
}
