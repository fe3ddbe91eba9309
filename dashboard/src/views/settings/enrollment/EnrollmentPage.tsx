import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api, call } from "../../../api/client";
import { useApi } from "../../../api/useApi";
import { Field } from "../../../components/Field";
import { Async, Empty } from "../../../components/States";
import { formatTime } from "../../../format";
import { ConfirmButton, FailureBox, FormStatus, Section, asFailure, useForm } from "../form";
import { ClientPicker, useChosenClient, useClients, useSites, type Client, type Schemas, type Site } from "../shared";
import { numberIn, required } from "../validate";
import { CopyCommand } from "./CopyCommand";

type Created = Schemas["CreatedEnrollmentToken"];

/** Enrollment tokens of a client: create one for a site and copy its install command, list, revoke. */
export function EnrollmentPage() {
  const clients = useClients();
  const [clientId, setClientId] = useChosenClient(clients.data?.items);
  return (
    <>
      <h1>Enrollment tokens</h1>
      <p className="muted">A token lets an agent join a client's site. Run its install command on the machine; it shows up in the fleet within seconds.</p>
      <Async state={clients} what="Loading clients">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              No clients yet — <Link to="/settings/clients">create a client</Link> and a site first.
            </Empty>
          ) : (
            <>
              <ClientPicker clients={items} value={clientId} onChange={setClientId} />
              {clientId && <ClientTokens key={clientId} client={items.find((c) => c.id === clientId)!} />}
            </>
          )
        }
      </Async>
    </>
  );
}

function ClientTokens({ client }: { client: Client }) {
  const sites = useSites(client.id);
  const tokens = useApi(() => call(api.GET("/api/v1/enrollment-tokens", { params: { query: { clientId: client.id } } })), [client.id]);
  const [created, setCreated] = useState<Created | null>(null);
  return (
    <Async state={sites} what="Loading sites">
      {({ items: siteList }) =>
        siteList.length === 0 ? (
          <Empty>
            {client.name} has no sites yet — <Link to={`/settings/sites?client=${client.id}`}>add a site</Link>, then create a token for it here.
          </Empty>
        ) : (
          <>
            <CreateTokenForm
              client={client}
              sites={siteList}
              onCreated={(t) => {
                setCreated(t);
                tokens.reload();
              }}
            />
            {created && <InstallCommand created={created} site={siteList.find((s) => s.id === created.siteId)} onDone={() => setCreated(null)} />}
            <Section title="Tokens">
              <Async state={tokens} what="Loading tokens">
                {({ items }) => (items.length === 0 ? <Empty>No tokens for {client.name} yet — create one above.</Empty> : <TokenTable tokens={items} sites={siteList} onChange={tokens.reload} />)}
              </Async>
            </Section>
          </>
        )
      }
    </Async>
  );
}

function CreateTokenForm({ client, sites, onCreated }: { client: Client; sites: Site[]; onCreated(t: Created): void }) {
  const form = useForm();
  const [siteId, setSiteId] = useState(sites.length === 1 ? sites[0]!.id : "");
  const [days, setDays] = useState("7");

  async function submit(e: FormEvent) {
    e.preventDefault();
    await form.submit({ siteId: required(siteId) && "choose the site the machines are at", expiresInSeconds: numberIn(days, 1, 365, { integer: true, needed: true }) }, async () => {
      const t = await call(api.POST("/api/v1/enrollment-tokens", { body: { clientId: client.id, siteId, expiresInSeconds: Number(days) * 86_400 } }));
      onCreated(t);
      return "Token created.";
    });
  }

  return (
    <Section title="New token">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label="New enrollment token">
        <div className="row">
          <Field label="Site" error={form.errors.siteId}>
            <select name="siteId" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
              <option value="">Choose a site…</option>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Valid for (days)" error={form.errors.expiresInSeconds} hint="1 to 365; any number of machines may use it until then">
            <input name="days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            {form.busy ? "Creating…" : "Create token"}
          </button>
        </div>
        <FormStatus form={form} fields={["siteId", "expiresInSeconds"]} />
      </form>
    </Section>
  );
}

function InstallCommand({ created, site, onDone }: { created: Created; site: Site | undefined; onDone(): void }) {
  return (
    <section className="card install" aria-labelledby="install-title">
      <h2 id="install-title">Install command for {site?.name ?? "the site"}</h2>
      <p className="once-warning">This token is shown only once: copy the command now. Vigil keeps only a hash of it.</p>
      <p>Run it as root on each Linux machine of the site (valid until {formatTime(created.expiresAt)}):</p>
      <CopyCommand command={created.installCommand} label="Install command" />
      <details>
        <summary>Just the token, or another platform</summary>
        <p>
          Token: <code>{created.token}</code>
        </p>
        <p className="muted">On Windows and macOS, install the agent package and run: vigil-agent enroll --server &lt;collector URL&gt; --token &lt;token&gt;</p>
      </details>
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>
          Done, hide the command
        </button>
      </div>
    </section>
  );
}

function TokenTable({ tokens, sites, onChange }: { tokens: Schemas["EnrollmentToken"][]; sites: Site[]; onChange(): void }) {
  const [failure, setFailure] = useState<ReturnType<typeof asFailure> | null>(null);
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  const now = Date.now();
  async function revoke(id: string) {
    setFailure(null);
    try {
      await call(api.DELETE("/api/v1/enrollment-tokens/{id}", { params: { path: { id } } }));
      onChange();
    } catch (err) {
      setFailure(asFailure(err));
    }
  }
  return (
    <>
      {failure && <FailureBox failure={failure} />}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => {
              const state = t.revokedAt ? "revoked" : new Date(t.expiresAt).getTime() <= now ? "expired" : "active";
              return (
                <tr key={t.id}>
                  <td>{siteName.get(t.siteId) ?? t.siteId}</td>
                  <td>{formatTime(t.createdAt)}</td>
                  <td>{formatTime(t.expiresAt)}</td>
                  <td>{state === "revoked" ? `revoked ${formatTime(t.revokedAt)}` : state}</td>
                  <td>{state === "active" && <ConfirmButton label="Revoke" confirm="Revoke this token" onConfirm={() => revoke(t.id)} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
