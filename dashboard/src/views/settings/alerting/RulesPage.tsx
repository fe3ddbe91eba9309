import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { api, call } from "../../../api/client";
import { useApi } from "../../../api/useApi";
import { Field } from "../../../components/Field";
import { Async, Empty } from "../../../components/States";
import { StatusBadge } from "../../../components/StatusBadge";
import { ConfirmButton, FailureBox, FormStatus, Section, asFailure, useForm } from "../form";
import { ClientSelect, clientNames, useClients, useSites, type Client, type Schemas } from "../shared";
import { numberIn, required, splitList } from "../validate";
import { INVENTORY_CHANGES, RULE_KINDS, THRESHOLD_METRICS, defaultSeverity, type RuleKind } from "./rule-kinds";

type Rule = Schemas["AlertRule"];
type Severity = Rule["severity"];
type Level = "global" | "client" | "site" | "host" | "tag";

/** Alert rules: the built-in defaults, stored rules that override them per scope, and a form to add or change one. */
export function RulesPage() {
  const clients = useClients();
  const rules = useApi(() => call(api.GET("/api/v1/alert-rules")), []);
  const [editing, setEditing] = useState<{ rule?: Rule; from?: Rule; n: number } | null>(null);
  const [failure, setFailure] = useState<ReturnType<typeof asFailure> | null>(null);
  const names = clientNames(clients.data?.items);

  async function run(action: () => Promise<unknown>) {
    setFailure(null);
    try {
      await action();
      rules.reload();
    } catch (err) {
      setFailure(asFailure(err));
    }
  }

  const scopeText = (r: Rule) =>
    r.scope.level === "global" ? "Everywhere" : r.scope.level === "client" ? `Client ${names.get(r.scope.id) ?? r.scope.id}` : `${r.scope.level} ${r.scope.id}${r.clientId && r.scope.level === "tag" ? ` of ${names.get(r.clientId) ?? r.clientId}` : ""}`;

  return (
    <>
      <h1>Alert rules</h1>
      <p className="muted">Built-in rules apply out of the box. A stored rule overrides them for its scope: the most specific scope wins (host › tag › site › client › everywhere).</p>
      {failure && <FailureBox failure={failure} />}
      <Async state={rules} what="Loading rules">
        {({ items, defaults }) => (
          <>
            <Section title="Your rules">
              {items.length === 0 ? (
                <Empty>No rules of your own yet — the built-in ones below apply. Customise one, or add a rule below.</Empty>
              ) : (
                <RuleTable
                  rules={items}
                  scopeText={scopeText}
                  actions={(r) => (
                    <>
                      <button type="button" className="secondary" onClick={() => setEditing({ rule: r, n: Date.now() })} aria-label={`Edit ${r.name}`}>
                        Edit
                      </button>
                      <button type="button" className="secondary" onClick={() => void run(() => call(api.PATCH("/api/v1/alert-rules/{id}", { params: { path: { id: r.id } }, body: { enabled: !r.enabled } })))}>
                        {r.enabled ? "Disable" : "Enable"}
                      </button>
                      <ConfirmButton label="Delete" confirm={`Delete ${r.name}`} onConfirm={() => run(() => call(api.DELETE("/api/v1/alert-rules/{id}", { params: { path: { id: r.id } } })))} />
                    </>
                  )}
                />
              )}
            </Section>
            <Section title="Built-in rules">
              <RuleTable
                rules={defaults}
                scopeText={() => "Everywhere"}
                actions={(r) => (
                  <button type="button" className="secondary" onClick={() => setEditing({ from: r, n: Date.now() })} aria-label={`Customise ${r.name}`}>
                    Customise
                  </button>
                )}
              />
            </Section>
          </>
        )}
      </Async>
      <RuleForm
        key={editing?.n ?? 0}
        rule={editing?.rule}
        from={editing?.from}
        clients={clients.data?.items ?? []}
        onDone={() => {
          setEditing(null);
          rules.reload();
        }}
      />
    </>
  );
}

function paramsText(r: Rule): string {
  return Object.entries(r.params)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(",") || "all" : String(v)}`)
    .join(", ");
}

function RuleTable({ rules, scopeText, actions }: { rules: Rule[]; scopeText(r: Rule): string; actions(r: Rule): ReactNode }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Scope</th>
            <th scope="col">Severity</th>
            <th scope="col">Settings</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id}>
              <td>
                {r.name}
                {!r.enabled && <span className="default-tag">disabled</span>}
                <div className="muted">{RULE_KINDS[r.kind as RuleKind]?.does}</div>
              </td>
              <td>{scopeText(r)}</td>
              <td>
                <StatusBadge status={r.severity} />
              </td>
              <td className="muted">{paramsText(r) || "—"}</td>
              <td>
                <div className="actions">{actions(r)}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RuleForm({ rule, from, clients, onDone }: { rule?: Rule; from?: Rule; clients: Client[]; onDone(): void }) {
  const form = useForm();
  const base = rule ?? from;
  const [kind, setKind] = useState<RuleKind>((base?.kind as RuleKind) ?? "host_down");
  const [name, setName] = useState(rule?.name ?? "");
  const [severity, setSeverity] = useState<Severity | "">(base?.severity ?? "");
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [level, setLevel] = useState<Level>((rule?.scope.level as Level) ?? "global");
  const [clientId, setClientId] = useState(rule ? (rule.scope.level === "client" ? rule.scope.id : (rule.clientId ?? "")) : "");
  const [scopeId, setScopeId] = useState(rule && rule.scope.level !== "client" ? rule.scope.id : "");
  const p = (base?.params ?? {}) as Record<string, unknown>;
  const [numbers, setNumbers] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.values(RULE_KINDS).flatMap((k) => k.params.map((x) => [x.key, p[x.key] === undefined ? "" : String(p[x.key])]))),
  );
  const [metric, setMetric] = useState<keyof typeof THRESHOLD_METRICS>((p.metric as keyof typeof THRESHOLD_METRICS) ?? "cpu");
  const [above, setAbove] = useState(p.above === undefined ? "" : String(p.above));
  const [checkIds, setCheckIds] = useState(Array.isArray(p.checkIds) ? p.checkIds.join(", ") : "");
  const [changes, setChanges] = useState<string[]>(Array.isArray(p.changes) ? (p.changes as string[]) : [...INVENTORY_CHANGES]);
  const sites = useSites(level === "site" ? clientId : "");
  const hosts = useApi(() => (level === "host" && clientId ? call(api.GET("/api/v1/hosts", { params: { query: { clientId } } })) : Promise.resolve({ items: [] })), [level, clientId]);
  const spec = RULE_KINDS[kind];

  // Edit and Customise open this form at the foot of the page: bring it into view.
  useEffect(() => {
    if (base) form.ref.current?.scrollIntoView({ block: "start" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function problems(): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const x of spec.params) out[`params.${x.key}`] = numberIn(numbers[x.key] ?? "", x.min, x.max, { integer: x.integer });
    if (kind === "host_down" && numbers.flapCount === "1") out["params.flapCount"] = "must be 0 (off) or from 2 to 100 outages";
    if (kind === "threshold") {
      const max = metric === "load" ? 10_000 : 100;
      out["params.above"] = numberIn(above, 0, max, { needed: true }) ?? (Number(above) >= max ? `must be below ${max}` : undefined);
    }
    if (kind === "inventory_changed" && changes.length === 0) out["params.changes"] = "choose at least one kind of change";
    if (!rule) {
      if (level === "client" || level === "site" || level === "host") out.clientId = required(clientId) && "choose the client";
      if (level === "site" || level === "host" || level === "tag") out["scope.id"] = required(scopeId) && (level === "tag" ? "type the tag" : `choose the ${level}`);
    }
    return out;
  }

  function params(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const x of spec.params) if ((numbers[x.key] ?? "").trim() !== "") out[x.key] = Number(numbers[x.key]);
    if (kind === "threshold") Object.assign(out, { metric, above: Number(above) });
    if (kind === "check_failing") out.checkIds = splitList(checkIds);
    if (kind === "inventory_changed") out.changes = changes;
    return out;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await form.submit(problems(), async () => {
      if (rule) {
        await call(
          api.PATCH("/api/v1/alert-rules/{id}", {
            params: { path: { id: rule.id } },
            body: { ...(name.trim() ? { name: name.trim() } : {}), ...(severity ? { severity } : {}), enabled, params: params() },
          }),
        );
        return `Saved ${name || rule.name}.`;
      }
      const scope = { level, id: level === "global" ? "" : level === "client" ? clientId : scopeId };
      const body = {
        kind,
        scope,
        enabled,
        params: params(),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(severity ? { severity } : {}),
        ...(level === "tag" && clientId ? { clientId } : {}),
      } as Schemas["CreateAlertRule"];
      const created = await call(api.POST("/api/v1/alert-rules", { body }));
      return `Added ${created.name}.`;
    });
    if (ok) onDone();
  }

  const e = form.errors;
  return (
    <Section title={rule ? `Edit rule: ${rule.name}` : from ? `Customise: ${from.name}` : "New rule"} id="rule-form">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label={rule ? "Edit rule" : "New rule"}>
        <div className="row">
          <Field label="Kind" error={e.kind} hint={`Fires when ${spec.does}`}>
            <select name="kind" value={kind} disabled={!!rule} onChange={(ev) => setKind(ev.target.value as RuleKind)}>
              {Object.entries(RULE_KINDS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Name (optional)" error={e.name} hint={`Blank: "${spec.label}"`}>
            <input name="name" value={name} maxLength={200} onChange={(ev) => setName(ev.target.value)} />
          </Field>
          <Field label="Severity" error={e.severity}>
            <select name="severity" value={severity} onChange={(ev) => setSeverity(ev.target.value as Severity | "")}>
              <option value="">Default ({defaultSeverity(kind)})</option>
              <option value="critical">critical</option>
              <option value="warning">warning</option>
              <option value="info">info</option>
            </select>
          </Field>
        </div>
        <div className="row">
          <Field label="Applies to" error={e["scope.level"]}>
            <select
              name="scopeLevel"
              value={level}
              disabled={!!rule}
              onChange={(ev) => {
                setLevel(ev.target.value as Level);
                setScopeId("");
              }}
            >
              <option value="global">Every host</option>
              <option value="client">One client's hosts</option>
              <option value="site">One site's hosts</option>
              <option value="host">One host</option>
              <option value="tag">Hosts with a tag</option>
            </select>
          </Field>
          {level !== "global" && (
            <Field label={level === "tag" ? "Client (optional)" : "Client"} error={e.clientId}>
              <ClientSelect clients={clients} value={clientId} onChange={(v) => (setClientId(v), setScopeId(""))} anyLabel={level === "tag" ? "Any client" : undefined} />
            </Field>
          )}
          {level === "site" && (
            <Field label="Site" error={e["scope.id"]}>
              <select name="scopeId" value={scopeId} disabled={!!rule} onChange={(ev) => setScopeId(ev.target.value)}>
                <option value="">Choose…</option>
                {(sites.data?.items ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
                {rule && <option value={scopeId}>{scopeId}</option>}
              </select>
            </Field>
          )}
          {level === "host" && (
            <Field label="Host" error={e["scope.id"]}>
              <select name="scopeId" value={scopeId} disabled={!!rule} onChange={(ev) => setScopeId(ev.target.value)}>
                <option value="">Choose…</option>
                {(hosts.data?.items ?? []).map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.hostname}
                  </option>
                ))}
                {rule && <option value={scopeId}>{scopeId}</option>}
              </select>
            </Field>
          )}
          {level === "tag" && (
            <Field label="Tag" error={e["scope.id"]} hint="A host profile tag, or tier:<tier>">
              <input name="tag" value={scopeId} disabled={!!rule} maxLength={64} onChange={(ev) => setScopeId(ev.target.value)} />
            </Field>
          )}
        </div>
        {(spec.params.length > 0 || kind === "threshold" || kind === "check_failing" || kind === "inventory_changed") && (
          <fieldset>
            <legend>When it fires</legend>
            <div className="row">
              {kind === "threshold" && (
                <>
                  <Field label="Metric" error={e["params.metric"]}>
                    <select name="metric" value={metric} onChange={(ev) => setMetric(ev.target.value as keyof typeof THRESHOLD_METRICS)}>
                      {Object.entries(THRESHOLD_METRICS).map(([k, v]) => (
                        <option key={k} value={k}>
                          {v}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <Field label="Above" error={e["params.above"]} hint={metric === "load" ? "Load average" : "Percent, 0 to below 100"}>
                    <input name="above" inputMode="decimal" value={above} onChange={(ev) => setAbove(ev.target.value)} />
                  </Field>
                </>
              )}
              {spec.params.map((x) => (
                <Field key={x.key} label={x.label} error={e[`params.${x.key}`]} hint={`${x.min}–${x.max}; blank: ${x.default}`}>
                  <input name={x.key} inputMode="numeric" value={numbers[x.key] ?? ""} placeholder={String(x.default)} onChange={(ev) => setNumbers((n) => ({ ...n, [x.key]: ev.target.value }))} />
                </Field>
              ))}
              {kind === "check_failing" && (
                <Field label="Only these checks (optional)" error={e["params.checkIds"]} hint="Check ids, comma-separated; blank: every check">
                  <input name="checkIds" value={checkIds} onChange={(ev) => setCheckIds(ev.target.value)} />
                </Field>
              )}
            </div>
            {kind === "inventory_changed" && (
              <div className="checks" role="group" aria-label="Changes to report">
                {INVENTORY_CHANGES.map((c) => (
                  <label key={c}>
                    <input type="checkbox" checked={changes.includes(c)} onChange={(ev) => setChanges((cs) => (ev.target.checked ? [...cs, c] : cs.filter((x) => x !== c)))} /> {c}
                  </label>
                ))}
                {e["params.changes"] && <small className="field-error">{e["params.changes"]}</small>}
              </div>
            )}
          </fieldset>
        )}
        <div className="checks">
          <label>
            <input type="checkbox" checked={enabled} onChange={(ev) => setEnabled(ev.target.checked)} /> Enabled (a disabled rule switches its kind off for its scope)
          </label>
        </div>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            {rule ? "Save rule" : "Add rule"}
          </button>
          {(rule || from) && (
            <button type="button" className="secondary" onClick={onDone}>
              Cancel
            </button>
          )}
        </div>
        <FormStatus form={form} fields={["kind", "name", "severity", "scope.level", "scope.id", "clientId", "params.metric", "params.above", "params.checkIds", "params.changes", ...spec.params.map((x) => `params.${x.key}`)]} />
      </form>
    </Section>
  );
}
