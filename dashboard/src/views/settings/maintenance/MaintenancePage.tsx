import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api, call } from "../../../api/client";
import { useApi } from "../../../api/useApi";
import { Field } from "../../../components/Field";
import { Async, Empty } from "../../../components/States";
import { formatDuration, formatTime } from "../../../format";
import { ConfirmButton, FailureBox, FormStatus, Section, asFailure, useForm } from "../form";
import { ClientPicker, TimeZoneInput, useChosenClient, useClients, useSites, type Client, type Schemas, type Site } from "../shared";
import { clockTime, isoDate, numberIn, required } from "../validate";

type MaintenanceWindow = Schemas["MaintenanceWindow"];
type Host = Schemas["Host"];

const WEEKDAYS = [
  ["mon", "Monday"],
  ["tue", "Tuesday"],
  ["wed", "Wednesday"],
  ["thu", "Thursday"],
  ["fri", "Friday"],
  ["sat", "Saturday"],
  ["sun", "Sunday"],
] as const;
type Weekday = (typeof WEEKDAYS)[number][0];
const dayName = (d: string) => WEEKDAYS.find(([k]) => k === d)?.[1] ?? d;
const NTH: Record<string, string> = { "1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "-1": "last" };

/** Maintenance windows of a client: time excluded from the SLA and free of alerts. */
export function MaintenancePage() {
  const clients = useClients();
  const [clientId, setClientId] = useChosenClient(clients.data?.items);
  return (
    <>
      <h1>Maintenance windows</h1>
      <p className="muted">Time inside a window counts as maintenance: excluded from the SLA, and no alerts are sent.</p>
      <Async state={clients} what="Loading clients">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              No clients yet — <Link to="/settings/clients">create a client</Link> first.
            </Empty>
          ) : (
            <>
              <ClientPicker clients={items} value={clientId} onChange={setClientId} />
              {clientId && <ClientWindows key={clientId} client={items.find((c) => c.id === clientId)!} />}
            </>
          )
        }
      </Async>
    </>
  );
}

function ClientWindows({ client }: { client: Client }) {
  const windows = useApi(() => call(api.GET("/api/v1/maintenance-windows", { params: { query: { clientId: client.id } } })), [client.id]);
  const sites = useSites(client.id);
  const hosts = useApi(() => call(api.GET("/api/v1/hosts", { params: { query: { clientId: client.id } } })), [client.id]);
  const [failure, setFailure] = useState<ReturnType<typeof asFailure> | null>(null);
  const siteList = sites.data?.items ?? [];
  const hostList = hosts.data?.items ?? [];

  async function remove(id: string) {
    setFailure(null);
    try {
      await call(api.DELETE("/api/v1/maintenance-windows/{id}", { params: { path: { id } } }));
      windows.reload();
    } catch (err) {
      setFailure(asFailure(err));
    }
  }

  const scopeName = (w: MaintenanceWindow) =>
    w.scope.level === "client"
      ? `All of ${client.name}`
      : w.scope.level === "site"
        ? `Site ${siteList.find((s) => s.id === w.scope.id)?.name ?? w.scope.id}`
        : `Host ${hostList.find((h) => h.id === w.scope.id)?.hostname ?? w.scope.id}`;

  return (
    <>
      <Section title="Windows">
        {failure && <FailureBox failure={failure} />}
        <Async state={windows} what="Loading maintenance windows">
          {({ items }) =>
            items.length === 0 ? (
              <Empty>No maintenance windows for {client.name} — add one below before planned work, so it does not count as downtime.</Empty>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Scope</th>
                      <th scope="col">Reason</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((w) => (
                      <tr key={w.id}>
                        <td>
                          {describeWindow(w)}
                          {!w.planned && <div className="muted">recorded afterwards (unplanned)</div>}
                        </td>
                        <td>{scopeName(w)}</td>
                        <td>{w.reason || <span className="muted">—</span>}</td>
                        <td>
                          <ConfirmButton label="Delete" confirm="Delete this window" onConfirm={() => remove(w.id)} />
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
      <CreateWindowForm client={client} sites={siteList} hosts={hostList} onCreated={windows.reload} />
    </>
  );
}

/** "Every Tuesday at 02:00 for 4 h (Europe/Berlin)" and the like. */
function describeWindow(w: MaintenanceWindow): string {
  if (w.kind === "once") return `${formatTime(w.start)} – ${formatTime(w.end)}`;
  const span = `at ${w.start} for ${formatDuration(w.durationMinutes * 60_000)} (${w.timezone})`;
  const range = [w.firstDate && `from ${w.firstDate}`, w.lastDate && `until ${w.lastDate}`].filter(Boolean).join(" ");
  if (w.kind === "weekly") return `Every ${dayName(w.weekday)} ${span}${range ? `, ${range}` : ""}`;
  const on = "day" in w.on ? `day ${w.on.day}` : `the ${NTH[String(w.on.nth)] ?? w.on.nth} ${dayName(w.on.weekday)}`;
  return `Monthly on ${on} ${span}${range ? `, ${range}` : ""}`;
}

function CreateWindowForm({ client, sites, hosts, onCreated }: { client: Client; sites: Site[]; hosts: Host[]; onCreated(): void }) {
  const form = useForm();
  const [kind, setKind] = useState<"once" | "weekly" | "monthly">("once");
  const [level, setLevel] = useState<"client" | "site" | "host">("client");
  const [scopeId, setScopeId] = useState("");
  const [startAt, setStartAt] = useState("");
  const [endAt, setEndAt] = useState("");
  const [weekday, setWeekday] = useState<Weekday>("sun");
  const [time, setTime] = useState("02:00");
  const [duration, setDuration] = useState("120");
  const [timezone, setTimezone] = useState("");
  const [firstDate, setFirstDate] = useState("");
  const [lastDate, setLastDate] = useState("");
  const [monthlyBy, setMonthlyBy] = useState<"day" | "nth">("day");
  const [day, setDay] = useState("1");
  const [nth, setNth] = useState("1");
  const [reason, setReason] = useState("");
  const [planned, setPlanned] = useState(true);

  function problems(): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = { "scope.id": level !== "client" ? required(scopeId) && `choose the ${level}` : undefined };
    if (!planned) out.reason = required(reason) && "say why: unplanned maintenance needs a reason";
    if (kind === "once") {
      out.start = required(startAt);
      out.end = required(endAt) ?? (startAt && new Date(endAt) <= new Date(startAt) ? "must be after the start" : undefined);
      if (!out.start && new Date(startAt).getTime() < Date.now() && reason.trim() === "") out.reason = "required: the window starts in the past (recorded afterwards)";
    } else {
      out.start = clockTime(time);
      out.durationMinutes = numberIn(duration, 1, 44_640, { integer: true, needed: true });
      if (firstDate) out.firstDate = isoDate(firstDate);
      if (lastDate) out.lastDate = isoDate(lastDate) ?? (firstDate && lastDate < firstDate ? "must not be before the first date" : undefined);
      if (kind === "monthly" && monthlyBy === "day") out["on.day"] = numberIn(day, 1, 31, { integer: true, needed: true });
    }
    return out;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    await form.submit(problems(), async () => {
      const common = { clientId: client.id, scope: { level, id: level === "client" ? client.id : scopeId }, reason: reason.trim(), planned };
      const recurring = {
        start: time,
        durationMinutes: Number(duration),
        ...(timezone.trim() ? { timezone: timezone.trim() } : {}),
        ...(firstDate ? { firstDate } : {}),
        ...(lastDate ? { lastDate } : {}),
      };
      const body: Schemas["CreateMaintenanceWindow"] =
        kind === "once"
          ? { ...common, kind, start: new Date(startAt).toISOString(), end: new Date(endAt).toISOString() }
          : kind === "weekly"
            ? { ...common, ...recurring, kind, weekday }
            : { ...common, ...recurring, kind, on: monthlyBy === "day" ? { day: Number(day) } : { nth: Number(nth), weekday } };
      await call(api.POST("/api/v1/maintenance-windows", { body }));
      onCreated();
      setReason("");
      return "Maintenance window added.";
    });
  }

  const e = form.errors;
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <Section title="New maintenance window">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label="New maintenance window">
        <fieldset>
          <legend>How often</legend>
          <div className="checks">
            {(["once", "weekly", "monthly"] as const).map((k) => (
              <label key={k}>
                <input type="radio" name="kind" checked={kind === k} onChange={() => setKind(k)} /> {k === "once" ? "Once" : k === "weekly" ? "Every week" : "Every month"}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <Field label="Applies to" error={e["scope.level"]}>
            <select
              name="scopeLevel"
              value={level}
              onChange={(ev) => {
                setLevel(ev.target.value as typeof level);
                setScopeId("");
              }}
            >
              <option value="client">The whole client</option>
              <option value="site">One site</option>
              <option value="host">One host</option>
            </select>
          </Field>
          {level !== "client" && (
            <Field label={level === "site" ? "Site" : "Host"} error={e["scope.id"]}>
              <select name="scopeId" value={scopeId} onChange={(ev) => setScopeId(ev.target.value)}>
                <option value="">Choose…</option>
                {level === "site"
                  ? sites.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))
                  : hosts.map((h) => (
                      <option key={h.id} value={h.id}>
                        {h.hostname}
                      </option>
                    ))}
              </select>
            </Field>
          )}
        </div>
        {kind === "once" ? (
          <div className="row">
            <Field label="Starts" error={e.start} hint={`Your browser's time (${browserZone})`}>
              <input type="datetime-local" name="startAt" value={startAt} onChange={(ev) => setStartAt(ev.target.value)} />
            </Field>
            <Field label="Ends" error={e.end}>
              <input type="datetime-local" name="endAt" value={endAt} onChange={(ev) => setEndAt(ev.target.value)} />
            </Field>
          </div>
        ) : (
          <>
            <div className="row">
              {kind === "weekly" && (
                <Field label="Weekday" error={e.weekday}>
                  <select name="weekday" value={weekday} onChange={(ev) => setWeekday(ev.target.value as Weekday)}>
                    {WEEKDAYS.map(([k, label]) => (
                      <option key={k} value={k}>
                        {label}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
              {kind === "monthly" && (
                <Field label="On" error={e.on}>
                  <select name="monthlyBy" value={monthlyBy} onChange={(ev) => setMonthlyBy(ev.target.value as "day" | "nth")}>
                    <option value="day">A day of the month</option>
                    <option value="nth">A weekday of the month</option>
                  </select>
                </Field>
              )}
              {kind === "monthly" && monthlyBy === "day" && (
                <Field label="Day of the month" error={e["on.day"]} hint="1–31; a month without that day uses its last day">
                  <input name="day" inputMode="numeric" value={day} onChange={(ev) => setDay(ev.target.value)} />
                </Field>
              )}
              {kind === "monthly" && monthlyBy === "nth" && (
                <>
                  <Field label="Which" error={e["on.nth"]}>
                    <select name="nth" value={nth} onChange={(ev) => setNth(ev.target.value)}>
                      {Object.entries(NTH).map(([k, v]) => (
                        <option key={k} value={k}>
                          {v}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <Field label="Weekday" error={e["on.weekday"]}>
                    <select name="weekday" value={weekday} onChange={(ev) => setWeekday(ev.target.value as Weekday)}>
                      {WEEKDAYS.map(([k, label]) => (
                        <option key={k} value={k}>
                          {label}
                        </option>
                      ))}
                    </select>
                  </Field>
                </>
              )}
              <Field label="Start time" error={e.start} hint="HH:MM, local to the time zone">
                <input name="time" inputMode="numeric" value={time} maxLength={5} onChange={(ev) => setTime(ev.target.value)} />
              </Field>
              <Field label="Duration (minutes)" error={e.durationMinutes}>
                <input name="durationMinutes" inputMode="numeric" value={duration} onChange={(ev) => setDuration(ev.target.value)} />
              </Field>
            </div>
            <div className="row">
              <Field label="Time zone" error={e.timezone} hint="Blank: the site's or client's">
                <TimeZoneInput value={timezone} onChange={setTimezone} placeholder={client.timezone} />
              </Field>
              <Field label="First date" error={e.firstDate} hint="Blank: the next occurrence">
                <input type="date" name="firstDate" value={firstDate} onChange={(ev) => setFirstDate(ev.target.value)} />
              </Field>
              <Field label="Last date" error={e.lastDate} hint="Blank: no end">
                <input type="date" name="lastDate" value={lastDate} onChange={(ev) => setLastDate(ev.target.value)} />
              </Field>
            </div>
          </>
        )}
        <Field label="Reason" error={e.reason} hint="e.g. Firmware update of the core switch; required for work recorded afterwards">
          <textarea name="reason" rows={2} maxLength={1000} value={reason} onChange={(ev) => setReason(ev.target.value)} />
        </Field>
        <div className="checks">
          <label>
            <input type="checkbox" checked={planned} onChange={(ev) => setPlanned(ev.target.checked)} /> Planned in advance
          </label>
        </div>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            Add window
          </button>
        </div>
        <FormStatus form={form} fields={["scope.level", "scope.id", "start", "end", "weekday", "on", "on.day", "on.nth", "on.weekday", "durationMinutes", "timezone", "firstDate", "lastDate", "reason"]} />
      </form>
    </Section>
  );
}
