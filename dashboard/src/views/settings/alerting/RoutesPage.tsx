import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api, call } from "../../../api/client";
import { useApi } from "../../../api/useApi";
import { Field } from "../../../components/Field";
import { Async, Empty } from "../../../components/States";
import { ConfirmButton, FailureBox, FormStatus, Section, asFailure, useForm } from "../form";
import { ClientSelect, clientNames, useClients, type Client, type Schemas } from "../shared";
import { numberIn, required } from "../validate";

type Route = Schemas["AlertRoute"];
type Channel = Schemas["Channel"];
type Severity = Route["severities"][number];
const SEVERITIES: Severity[] = ["critical", "warning", "info"];

/** Alert routes: which channels a client's alerts of some severities go to, and who is told next if nobody acknowledges. */
export function RoutesPage() {
  const clients = useClients();
  const channels = useApi(() => call(api.GET("/api/v1/channels")), []);
  const routes = useApi(() => call(api.GET("/api/v1/alert-routes")), []);
  const [editing, setEditing] = useState<{ route?: Route; n: number }>({ n: 0 });
  const [failure, setFailure] = useState<ReturnType<typeof asFailure> | null>(null);
  const names = clientNames(clients.data?.items);
  const channelName = new Map((channels.data?.items ?? []).map((c) => [c.id, c.name]));
  const list = (ids: string[]) => ids.map((id) => channelName.get(id) ?? "(deleted channel)").join(", ");

  async function run(action: () => Promise<unknown>) {
    setFailure(null);
    try {
      await action();
      routes.reload();
    } catch (err) {
      setFailure(asFailure(err));
    }
  }

  return (
    <>
      <h1>Alert routes</h1>
      <p className="muted">Without a matching route, an alert goes to every global channel and every channel of its client. A route narrows that and adds escalation.</p>
      {failure && <FailureBox failure={failure} />}
      <Section title="Routes">
        <Async state={routes} what="Loading routes">
          {({ items }) =>
            items.length === 0 ? (
              <Empty>No routes yet — alerts go to every matching channel. Add a route below to pick channels per client and severity, with escalation.</Empty>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Route</th>
                      <th scope="col">Alerts of</th>
                      <th scope="col">Notify</th>
                      <th scope="col">Escalation</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((r) => (
                      <tr key={r.id}>
                        <td>
                          {r.name}
                          {!r.enabled && <span className="default-tag">off</span>}
                        </td>
                        <td>
                          {r.clientId ? (names.get(r.clientId) ?? r.clientId) : "Every client"}, {r.severities.length ? r.severities.join(", ") : "any severity"}
                        </td>
                        <td>{list(r.channelIds)}</td>
                        <td>{r.escalation.length === 0 ? <span className="muted">none</span> : r.escalation.map((s, i) => <div key={i}>after {s.afterMinutes} min: {list(s.channelIds)}</div>)}</td>
                        <td>
                          <div className="actions">
                            <button type="button" className="secondary" onClick={() => setEditing({ route: r, n: Date.now() })} aria-label={`Edit ${r.name}`}>
                              Edit
                            </button>
                            <button type="button" className="secondary" onClick={() => void run(() => call(api.PATCH("/api/v1/alert-routes/{id}", { params: { path: { id: r.id } }, body: { enabled: !r.enabled } })))}>
                              {r.enabled ? "Switch off" : "Switch on"}
                            </button>
                            <ConfirmButton label="Delete" confirm={`Delete ${r.name}`} onConfirm={() => run(() => call(api.DELETE("/api/v1/alert-routes/{id}", { params: { path: { id: r.id } } })))} />
                          </div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Async>
      </Section>
      <Async state={channels} what="Loading channels">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              Routes send to channels: <Link to="/settings/channels">add a channel</Link> first.
            </Empty>
          ) : (
            <RouteForm
              key={editing.n}
              route={editing.route}
              clients={clients.data?.items ?? []}
              channels={items}
              onDone={() => {
                setEditing({ n: Date.now() });
                routes.reload();
              }}
            />
          )
        }
      </Async>
    </>
  );
}

function ChannelChecks({ channels, value, onChange, label, error }: { channels: Channel[]; value: string[]; onChange(ids: string[]): void; label: string; error?: string }) {
  return (
    <fieldset>
      <legend>{label}</legend>
      <div className="checks">
        {channels.map((c) => (
          <label key={c.id}>
            <input type="checkbox" checked={value.includes(c.id)} onChange={(e) => onChange(e.target.checked ? [...value, c.id] : value.filter((x) => x !== c.id))} /> {c.name}{" "}
            <span className="muted">({c.type})</span>
          </label>
        ))}
      </div>
      {error && <small className="field-error">{error}</small>}
    </fieldset>
  );
}

function RouteForm({ route, clients, channels, onDone }: { route?: Route; clients: Client[]; channels: Channel[]; onDone(): void }) {
  const form = useForm();
  const [name, setName] = useState(route?.name ?? "");
  const [clientId, setClientId] = useState(route?.clientId ?? "");
  const [severities, setSeverities] = useState<Severity[]>(route?.severities ?? []);
  const [channelIds, setChannelIds] = useState<string[]>(route?.channelIds ?? []);
  const [steps, setSteps] = useState<Array<{ afterMinutes: string; channelIds: string[] }>>(route?.escalation.map((s) => ({ afterMinutes: String(s.afterMinutes), channelIds: s.channelIds })) ?? []);
  const [enabled, setEnabled] = useState(route?.enabled ?? true);
  // A route may use global channels and its own client's.
  const usable = channels.filter((c) => c.clientId === null || c.clientId === clientId);

  useEffect(() => {
    if (route) form.ref.current?.scrollIntoView({ block: "start" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function problems(): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = { name: required(name), channelIds: channelIds.length ? undefined : "choose at least one channel" };
    steps.forEach((s, i) => {
      out[`escalation.${i}.afterMinutes`] = numberIn(s.afterMinutes, 1, 10_080, { integer: true, needed: true });
      out[`escalation.${i}.channelIds`] = s.channelIds.length ? undefined : "choose at least one channel";
    });
    return out;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await form.submit(problems(), async () => {
      const escalation = steps.map((s) => ({ afterMinutes: Number(s.afterMinutes), channelIds: s.channelIds }));
      if (route) {
        await call(api.PATCH("/api/v1/alert-routes/{id}", { params: { path: { id: route.id } }, body: { name: name.trim(), severities, channelIds, escalation, enabled } }));
        return `Saved ${name}.`;
      }
      await call(api.POST("/api/v1/alert-routes", { body: { name: name.trim(), clientId: clientId || null, severities, channelIds, escalation, enabled } }));
      return `Added ${name}.`;
    });
    if (ok) onDone();
  }

  const e = form.errors;
  return (
    <Section title={route ? `Edit route: ${route.name}` : "New route"} id="route-form">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label={route ? "Edit route" : "New route"}>
        <div className="row">
          <Field label="Name" error={e.name} hint="e.g. Acme critical to on-call">
            <input name="name" value={name} maxLength={200} onChange={(ev) => setName(ev.target.value)} />
          </Field>
          <Field label="Alerts of" error={e.clientId} hint={route ? "The client of a route stays" : undefined}>
            <ClientSelect clients={clients} value={clientId} onChange={setClientId} anyLabel="Every client" disabled={!!route} />
          </Field>
        </div>
        <fieldset>
          <legend>Severities (none ticked: all)</legend>
          <div className="checks">
            {SEVERITIES.map((s) => (
              <label key={s}>
                <input type="checkbox" checked={severities.includes(s)} onChange={(ev) => setSeverities((x) => (ev.target.checked ? [...x, s] : x.filter((y) => y !== s)))} /> {s}
              </label>
            ))}
          </div>
        </fieldset>
        <ChannelChecks label="Notify at once" channels={usable} value={channelIds} onChange={setChannelIds} error={e.channelIds} />
        <h3>Escalation while nobody acknowledges</h3>
        {steps.length === 0 && <p className="muted">No escalation: only the channels above are told.</p>}
        {steps.map((s, i) => (
          <div className="step" key={i} role="group" aria-label={`Escalation step ${i + 1}`}>
            <div className="row">
              <Field label={`Step ${i + 1}: after (minutes)`} error={e[`escalation.${i}.afterMinutes`]} hint="Minutes after the alert fired">
                <input inputMode="numeric" value={s.afterMinutes} onChange={(ev) => setSteps((x) => x.map((y, j) => (j === i ? { ...y, afterMinutes: ev.target.value } : y)))} />
              </Field>
              <button type="button" className="secondary" onClick={() => setSteps((x) => x.filter((_, j) => j !== i))} aria-label={`Remove escalation step ${i + 1}`}>
                Remove step
              </button>
            </div>
            <ChannelChecks
              label={`Step ${i + 1}: notify`}
              channels={usable}
              value={s.channelIds}
              onChange={(ids) => setSteps((x) => x.map((y, j) => (j === i ? { ...y, channelIds: ids } : y)))}
              error={e[`escalation.${i}.channelIds`]}
            />
          </div>
        ))}
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setSteps((x) => [...x, { afterMinutes: String((x.length + 1) * 15), channelIds: [] }])} disabled={steps.length >= 10}>
            Add escalation step
          </button>
        </div>
        <div className="checks">
          <label>
            <input type="checkbox" checked={enabled} onChange={(ev) => setEnabled(ev.target.checked)} /> Enabled
          </label>
        </div>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            {route ? "Save route" : "Add route"}
          </button>
          {route && (
            <button type="button" className="secondary" onClick={onDone}>
              Cancel
            </button>
          )}
        </div>
        <FormStatus form={form} fields={["name", "clientId", "severities", "channelIds", ...steps.flatMap((_, i) => [`escalation.${i}.afterMinutes`, `escalation.${i}.channelIds`])]} />
      </form>
    </Section>
  );
}
