import { useState, type FormEvent } from "react";
import { api, call } from "../../../api/client";
import { useApi } from "../../../api/useApi";
import { Field } from "../../../components/Field";
import { Async, Empty } from "../../../components/States";
import { ConfirmButton, FailureBox, FormStatus, Section, asFailure, useForm } from "../form";
import { ClientSelect, clientNames, useClients, type Schemas } from "../shared";
import { emails, httpUrl, numberIn, required, splitList } from "../validate";

type Channel = Schemas["Channel"];
type ChannelType = Channel["type"];
type TestResult = Schemas["ChannelTestResult"];

const TYPES: Array<{ type: ChannelType; label: string }> = [
  { type: "webhook", label: "Webhook (HMAC-signed)" },
  { type: "slack", label: "Slack" },
  { type: "teams", label: "Microsoft Teams" },
  { type: "pagerduty", label: "PagerDuty" },
  { type: "email", label: "E-mail" },
  { type: "ntfy", label: "ntfy" },
];
const typeLabel = (t: string) => TYPES.find((x) => x.type === t)?.label ?? t;

/** Where alerts are sent: list, add per type, send a test, switch on and off, delete. */
export function ChannelsPage() {
  const clients = useClients();
  const channels = useApi(() => call(api.GET("/api/v1/channels")), []);
  const names = clientNames(clients.data?.items);
  return (
    <>
      <h1>Alert channels</h1>
      <p className="muted">Channels are where alerts go. Global channels are the MSP's own on-call; a client's channel gets only that client's alerts.</p>
      <Section title="Channels">
        <Async state={channels} what="Loading channels">
          {({ items }) =>
            items.length === 0 ? (
              <Empty>No channels yet — add one below (Slack, Teams, PagerDuty, e-mail, ntfy or a webhook) so alerts reach someone.</Empty>
            ) : (
              <ul className="channel-list">
                {items.map((c) => (
                  <ChannelItem key={c.id} channel={c} clientName={c.clientId ? (names.get(c.clientId) ?? c.clientId) : "Global"} onChange={channels.reload} />
                ))}
              </ul>
            )
          }
        </Async>
      </Section>
      <CreateChannelForm clients={clients.data?.items ?? []} onCreated={channels.reload} />
    </>
  );
}

/** The non-secret part of a channel's target, for the list (the API has already redacted secrets). */
function target(c: Channel): string {
  const cfg = c.config as Record<string, unknown>;
  if (c.type === "email") return (cfg.to as string[] | undefined)?.join(", ") ?? "";
  return String(cfg.url ?? cfg.webhookUrl ?? cfg.routingKey ?? "");
}

function ChannelItem({ channel, clientName, onChange }: { channel: Channel; clientName: string; onChange(): void }) {
  const [result, setResult] = useState<TestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const [failure, setFailure] = useState<ReturnType<typeof asFailure> | null>(null);

  async function run(action: () => Promise<unknown>) {
    setFailure(null);
    try {
      await action();
      onChange();
    } catch (err) {
      setFailure(asFailure(err));
    }
  }

  async function test() {
    setTesting(true);
    setResult(null);
    setFailure(null);
    try {
      setResult(await call(api.POST("/api/v1/channels/{id}/test", { params: { path: { id: channel.id } } })));
    } catch (err) {
      setFailure(asFailure(err));
    } finally {
      setTesting(false);
    }
  }

  const path = { params: { path: { id: channel.id } } };
  return (
    <li className="card">
      <div className="row spread">
        <div>
          <strong>{channel.name}</strong> <span className="muted">· {typeLabel(channel.type)} · {clientName}</span>
          {!channel.enabled && <span className="default-tag">off</span>}
          <div className="muted break">
            {target(channel)}
          </div>
        </div>
        <div className="actions">
          <button type="button" onClick={() => void test()} disabled={testing} aria-label={`Send test to ${channel.name}`}>
            {testing ? "Sending…" : "Send test"}
          </button>
          <button type="button" className="secondary" onClick={() => void run(() => call(api.PATCH("/api/v1/channels/{id}", { ...path, body: { enabled: !channel.enabled } })))}>
            {channel.enabled ? "Switch off" : "Switch on"}
          </button>
          <ConfirmButton label="Delete" confirm={`Delete ${channel.name}`} onConfirm={() => run(() => call(api.DELETE("/api/v1/channels/{id}", path)))} />
        </div>
      </div>
      <div aria-live="polite">
        {result && (
          <p className={`test-result ${result.ok ? "ok" : "failed"}`}>
            {result.ok
              ? `Test delivered${result.attempts.at(-1)?.status ? ` (HTTP ${result.attempts.at(-1)!.status})` : ""}.`
              : `Test failed after ${result.attempts.length} attempt${result.attempts.length === 1 ? "" : "s"}: ${result.error ?? "unknown error"}`}
          </p>
        )}
      </div>
      {failure && <FailureBox failure={failure} />}
    </li>
  );
}

function CreateChannelForm({ clients, onCreated }: { clients: Schemas["Client"][]; onCreated(): void }) {
  const form = useForm();
  const [type, setType] = useState<ChannelType>("slack");
  const [name, setName] = useState("");
  const [clientId, setClientId] = useState("");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [headers, setHeaders] = useState("");
  const [to, setTo] = useState("");
  const [priority, setPriority] = useState("");

  function parseHeaders(): Record<string, string> | string {
    const out: Record<string, string> = {};
    for (const line of headers.split("\n").map((l) => l.trim()).filter(Boolean)) {
      const i = line.indexOf(":");
      if (i <= 0) return `"${line}" must be "Name: value"`;
      out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    return out;
  }

  function problems(): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = { name: required(name) };
    if (type === "webhook") {
      out["config.url"] = httpUrl(url);
      out["config.secret"] = secret && secret.trim().length < 16 ? "must be at least 16 characters (or blank: unsigned)" : undefined;
      const h = parseHeaders();
      out["config.headers"] = typeof h === "string" ? h : undefined;
    } else if (type === "slack" || type === "teams") out["config.webhookUrl"] = httpUrl(url);
    else if (type === "pagerduty") out["config.routingKey"] = required(secret);
    else if (type === "email") out["config.to"] = emails(splitList(to), 50, true);
    else {
      out["config.url"] = httpUrl(url) ?? (/\/[-_A-Za-z0-9]{1,64}$/.test(new URL(url).pathname) ? undefined : "must end with the topic, e.g. https://ntfy.sh/acme-oncall");
      out["config.priority"] = numberIn(priority, 1, 5, { integer: true });
    }
    return out;
  }

  function config(): Schemas["CreateChannel"]["config"] {
    const s = secret.trim();
    switch (type) {
      case "webhook": {
        const h = parseHeaders() as Record<string, string>;
        return { type, url: url.trim(), ...(s ? { secret: s } : {}), ...(Object.keys(h).length ? { headers: h } : {}) };
      }
      case "slack":
      case "teams":
        return { type, webhookUrl: url.trim() };
      case "pagerduty":
        return { type, routingKey: s, ...(url.trim() ? { url: url.trim() } : {}) };
      case "email":
        return { type, to: splitList(to) };
      case "ntfy":
        return { type, url: url.trim(), ...(s ? { token: s } : {}), ...(priority.trim() ? { priority: Number(priority) } : {}) };
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    await form.submit(problems(), async () => {
      const created = await call(api.POST("/api/v1/channels", { body: { name: name.trim(), clientId: clientId || null, enabled: true, config: config() } }));
      // Secrets are not kept in the page once sent: the API shows them redacted from now on.
      setSecret("");
      setUrl("");
      setName("");
      onCreated();
      return `Added ${created.name}. Use "Send test" to check it.`;
    });
  }

  const e = form.errors;
  const urlField = type === "slack" || type === "teams" ? "config.webhookUrl" : "config.url";
  return (
    <Section title="New channel">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label="New channel" autoComplete="off">
        <div className="row">
          <Field label="Type" error={e["config.type"]}>
            <select
              name="type"
              value={type}
              onChange={(ev) => {
                setType(ev.target.value as ChannelType);
                form.reset();
              }}
            >
              {TYPES.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Name" error={e.name} hint="e.g. On-call Slack">
            <input name="name" value={name} maxLength={200} onChange={(ev) => setName(ev.target.value)} />
          </Field>
          <Field label="For" error={e.clientId}>
            <ClientSelect clients={clients} value={clientId} onChange={setClientId} anyLabel="Global (every client's alerts)" />
          </Field>
        </div>
        {type !== "email" && type !== "pagerduty" && (
          <Field
            label={type === "slack" ? "Slack incoming webhook URL" : type === "teams" ? "Teams workflow URL" : type === "ntfy" ? "ntfy topic URL" : "Webhook URL"}
            error={e[urlField]}
            hint={type === "slack" || type === "teams" ? "It is a secret: shown redacted after saving" : type === "ntfy" ? "Server and topic, e.g. https://ntfy.sh/acme-oncall" : "Receives a signed JSON POST per alert"}
          >
            <input name="url" type={type === "slack" || type === "teams" ? "password" : "url"} value={url} onChange={(ev) => setUrl(ev.target.value)} />
          </Field>
        )}
        {type === "webhook" && (
          <>
            <Field label="Signing secret (optional)" error={e["config.secret"]} hint="At least 16 characters; the X-Vigil-Signature header is an HMAC with it. Never shown again.">
              <input name="secret" type="password" value={secret} onChange={(ev) => setSecret(ev.target.value)} />
            </Field>
            <Field label="Extra headers (optional)" error={e["config.headers"] ?? Object.entries(e).find(([k]) => k.startsWith("config.headers."))?.[1]} hint="One per line: Name: value">
              <textarea name="headers" rows={2} value={headers} onChange={(ev) => setHeaders(ev.target.value)} />
            </Field>
          </>
        )}
        {type === "pagerduty" && (
          <>
            <Field label="Integration (routing) key" error={e["config.routingKey"]} hint="From an Events API v2 integration. Never shown again.">
              <input name="routingKey" type="password" value={secret} onChange={(ev) => setSecret(ev.target.value)} />
            </Field>
            <Field label="Events URL (optional)" error={e["config.url"]} hint="Blank: PagerDuty's (events.pagerduty.com)">
              <input name="url" type="url" value={url} onChange={(ev) => setUrl(ev.target.value)} />
            </Field>
          </>
        )}
        {type === "email" && (
          <Field label="Send to" error={e["config.to"] ?? Object.entries(e).find(([k]) => k.startsWith("config.to."))?.[1]} hint="Addresses, one per line (at most 50)">
            <textarea name="to" rows={2} value={to} onChange={(ev) => setTo(ev.target.value)} />
          </Field>
        )}
        {type === "ntfy" && (
          <div className="row">
            <Field label="Access token (optional)" error={e["config.token"]} hint="tk_… for servers with access control. Never shown again.">
              <input name="token" type="password" value={secret} onChange={(ev) => setSecret(ev.target.value)} />
            </Field>
            <Field label="Priority (optional)" error={e["config.priority"]} hint="1 (min) to 5 (urgent); blank: by severity">
              <input name="priority" inputMode="numeric" value={priority} onChange={(ev) => setPriority(ev.target.value)} />
            </Field>
          </div>
        )}
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            Add channel
          </button>
        </div>
        <FormStatus form={form} fields={["name", "clientId", "config.type", urlField, "config.url", "config.secret", "config.headers", "config.routingKey", "config.to", "config.token", "config.priority", ...Object.keys(e).filter((k) => k.startsWith("config.headers.") || k.startsWith("config.to."))]} />
      </form>
    </Section>
  );
}
