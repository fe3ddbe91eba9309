import { useEffect, useId, useMemo } from "react";
import { useSearchParams } from "react-router";
import { Field } from "../../components/Field";
import { api, call } from "../../api/client";
import type { components } from "../../api/schema";
import { useApi, type Loaded } from "../../api/useApi";
import { timeZones } from "./validate";

/** The API's schemas by name. */
export type Schemas = components["schemas"];
export type Client = Schemas["Client"];
export type Site = Schemas["Site"];

/** Every client (settings pages pick one first). */
export function useClients(): Loaded<{ items: Client[] }> {
  return useApi(() => call(api.GET("/api/v1/clients")), []);
}

/** The sites of one client ("" = none chosen yet: an empty list). */
export function useSites(clientId: string): Loaded<{ items: Site[] }> {
  return useApi(() => (clientId ? call(api.GET("/api/v1/sites", { params: { query: { clientId } } })) : Promise.resolve({ items: [] })), [clientId]);
}

/** A plain select of clients; `anyLabel` adds a first option with value "" (e.g. "Every client"). */
export function ClientSelect(props: { clients: Client[]; value: string; onChange(id: string): void; anyLabel?: string; id?: string; name?: string; disabled?: boolean }) {
  return (
    <select id={props.id} disabled={props.disabled} name={props.name ?? "clientId"} value={props.value} onChange={(e) => props.onChange(e.target.value)} {...rest(props)}>
      {props.anyLabel !== undefined && <option value="">{props.anyLabel}</option>}
      {props.anyLabel === undefined && props.value === "" && <option value="">Choose a client…</option>}
      {props.clients.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  );
}

// Field passes aria attributes to its child; pass them on to the real control.
function rest(props: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith("aria-")));
}

/** A text input with the browser's time zones as suggestions; any text can be typed (the server checks it). */
export function TimeZoneInput(props: { value: string; onChange(v: string): void; name?: string; id?: string; placeholder?: string }) {
  const listId = useId();
  const zones = useMemo(timeZones, []);
  return (
    <>
      <input
        id={props.id}
        name={props.name ?? "timezone"}
        list={listId}
        value={props.value}
        placeholder={props.placeholder ?? "e.g. Europe/Berlin"}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value)}
        {...rest(props)}
      />
      <datalist id={listId}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}

/** A small tag next to a value that is not set and takes its default. */
export function DefaultTag({ shown }: { shown: boolean }) {
  return shown ? <span className="default-tag">default</span> : null;
}

/** Client names by id, for tables. */
export function clientNames(clients: Client[] | undefined): Map<string, string> {
  return new Map((clients ?? []).map((c) => [c.id, c.name]));
}

/**
 * The client a page is about, kept in the address (`?client=`) so a reload or a shared link keeps it; the
 * first client when none is chosen.
 */
export function useChosenClient(clients: Client[] | undefined): [string, (id: string) => void] {
  const [params, setParams] = useSearchParams();
  const chosen = params.get("client") ?? "";
  const valid = clients?.some((c) => c.id === chosen) ? chosen : (clients?.[0]?.id ?? "");
  useEffect(() => {
    if (clients && valid && valid !== chosen) setParams((p) => ({ ...Object.fromEntries(p), client: valid }), { replace: true });
  }, [clients, valid, chosen, setParams]);
  return [valid, (id) => setParams((p) => ({ ...Object.fromEntries(p), client: id }))];
}

/** The "Client" picker at the top of a per-client page. */
export function ClientPicker({ clients, value, onChange }: { clients: Client[]; value: string; onChange(id: string): void }) {
  return (
    <div className="picker">
      <Field label="Client">
        <ClientSelect clients={clients} value={value} onChange={onChange} name="client" />
      </Field>
    </div>
  );
}
