import { useState, type FormEvent } from "react";
import { api, call } from "../../../api/client";
import { useSession } from "../../../api/session";
import { useApi } from "../../../api/useApi";
import { Field } from "../../../components/Field";
import { Async, Empty } from "../../../components/States";
import { formatTime } from "../../../format";
import { ConfirmButton, FailureBox, FormStatus, Section, asFailure, useForm } from "../form";
import { ClientSelect, clientNames, useClients, type Client, type Schemas } from "../shared";
import { required } from "../validate";

type User = Schemas["User"];
type Role = User["role"];

const ROLES: Array<{ role: Role; label: string }> = [
  { role: "admin", label: "Admin — everything, including users" },
  { role: "technician", label: "Technician — agents, sites, maintenance, alerting" },
  { role: "vcio", label: "vCIO — reports and client policies" },
  { role: "viewer", label: "Viewer — read-only, one client" },
];
const MIN_PASSWORD = 10;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

function passwordProblem(p: string): string | undefined {
  if (p === "") return "required";
  if (p.length < MIN_PASSWORD) return `must be at least ${MIN_PASSWORD} characters`;
  return p.length > 200 ? "must be at most 200 characters" : undefined;
}

/** Dashboard users (admin only): add, change role or client, reset password, disable, delete. */
export function UsersPage() {
  const clients = useClients();
  const users = useApi(() => call(api.GET("/api/v1/users")), []);
  const clientList = clients.data?.items ?? [];
  return (
    <>
      <h1>Users</h1>
      <Section title="People who can log in">
        <Async state={users} what="Loading users">
          {({ items }) =>
            items.length === 0 ? (
              <Empty>No users yet — add the first one below.</Empty>
            ) : (
              <ul className="user-list">
                {items.map((u) => (
                  <UserItem key={u.id} user={u} clients={clientList} onChange={users.reload} />
                ))}
              </ul>
            )
          }
        </Async>
      </Section>
      <CreateUserForm clients={clientList} onCreated={users.reload} />
    </>
  );
}

function UserItem({ user, clients, onChange }: { user: User; clients: Client[]; onChange(): void }) {
  const { user: me } = useSession();
  const [mode, setMode] = useState<"view" | "role" | "password">("view");
  const [failure, setFailure] = useState<ReturnType<typeof asFailure> | null>(null);
  const names = clientNames(clients);
  const path = { params: { path: { id: user.id } } };

  async function run(action: () => Promise<unknown>) {
    setFailure(null);
    try {
      await action();
      onChange();
    } catch (err) {
      setFailure(asFailure(err));
    }
  }

  return (
    <li className="card">
      <div className="row spread">
        <div>
          <strong>{user.username}</strong>
          {user.id === me.id && <span className="muted"> (you)</span>} <span className="muted">· {user.role}</span>
          {user.role === "viewer" && <span className="muted"> of {user.clientId ? (names.get(user.clientId) ?? user.clientId) : "no client"}</span>}
          {user.disabled && <span className="default-tag">disabled</span>}
          <div className="muted">Added {formatTime(user.createdAt)}</div>
        </div>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setMode(mode === "role" ? "view" : "role")} aria-label={`Change role of ${user.username}`}>
            Change role
          </button>
          <button type="button" className="secondary" onClick={() => setMode(mode === "password" ? "view" : "password")} aria-label={`Reset password of ${user.username}`}>
            Reset password
          </button>
          <button type="button" className="secondary" onClick={() => void run(() => call(api.PATCH("/api/v1/users/{id}", { ...path, body: { disabled: !user.disabled } })))} aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.username}`}>
            {user.disabled ? "Enable" : "Disable"}
          </button>
          <ConfirmButton label="Delete" confirm={`Delete ${user.username}`} onConfirm={() => run(() => call(api.DELETE("/api/v1/users/{id}", path)))} />
        </div>
      </div>
      {failure && <FailureBox failure={failure} />}
      {mode === "role" && (
        <RoleForm
          user={user}
          clients={clients}
          onDone={() => {
            setMode("view");
            onChange();
          }}
        />
      )}
      {mode === "password" && <PasswordForm user={user} onDone={() => setMode("view")} />}
    </li>
  );
}

function RoleForm({ user, clients, onDone }: { user: User; clients: Client[]; onDone(): void }) {
  const form = useForm();
  const [role, setRole] = useState<Role>(user.role);
  const [clientId, setClientId] = useState(user.clientId ?? "");

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await form.submit({ clientId: role === "viewer" ? required(clientId) && "a viewer sees one client: choose it" : undefined }, async () => {
      await call(api.PATCH("/api/v1/users/{id}", { params: { path: { id: user.id } }, body: { role, clientId: role === "viewer" ? clientId : null } }));
    });
    if (ok) onDone();
  }

  return (
    <form ref={form.ref} onSubmit={submit} noValidate aria-label={`Role of ${user.username}`}>
      <div className="row">
        <Field label="Role" error={form.errors.role}>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r.role} value={r.role}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        {role === "viewer" && (
          <Field label="Client" error={form.errors.clientId}>
            <ClientSelect clients={clients} value={clientId} onChange={setClientId} />
          </Field>
        )}
      </div>
      <div className="actions">
        <button type="submit" disabled={form.busy}>
          Save role
        </button>
      </div>
      <FormStatus form={form} fields={["role", "clientId"]} />
    </form>
  );
}

function PasswordForm({ user, onDone }: { user: User; onDone(): void }) {
  const form = useForm();
  const [password, setPassword] = useState("");

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await form.submit({ password: passwordProblem(password) }, async () => {
      await call(api.PATCH("/api/v1/users/{id}", { params: { path: { id: user.id } }, body: { password } }));
      setPassword("");
      return `New password set for ${user.username}. Tell them through a safe channel.`;
    });
    if (ok) window.setTimeout(onDone, 4000);
  }

  return (
    <form ref={form.ref} onSubmit={submit} noValidate aria-label={`New password for ${user.username}`}>
      <div className="row">
        <Field label="New password" error={form.errors.password} hint={`At least ${MIN_PASSWORD} characters`}>
          <input name="new-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
      </div>
      <div className="actions">
        <button type="submit" disabled={form.busy}>
          Set password
        </button>
      </div>
      <FormStatus form={form} fields={["password"]} />
    </form>
  );
}

function CreateUserForm({ clients, onCreated }: { clients: Client[]; onCreated(): void }) {
  const form = useForm();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("technician");
  const [clientId, setClientId] = useState("");

  async function submit(e: FormEvent) {
    e.preventDefault();
    await form.submit(
      {
        username: required(username) ?? (USERNAME.test(username.trim()) ? undefined : "letters, digits and . _ @ - only, starting with a letter or digit"),
        password: passwordProblem(password),
        clientId: role === "viewer" ? required(clientId) && "a viewer sees one client: choose it" : undefined,
      },
      async () => {
        const created = await call(api.POST("/api/v1/users", { body: { username: username.trim(), password, role, ...(role === "viewer" ? { clientId } : {}) } }));
        setUsername("");
        setPassword("");
        onCreated();
        return `Added ${created.username} (${created.role}).`;
      },
    );
  }

  return (
    <Section title="New user">
      <form ref={form.ref} onSubmit={submit} noValidate aria-label="New user" autoComplete="off">
        <div className="row">
          <Field label="Username" error={form.errors.username}>
            <input name="new-username" autoComplete="off" value={username} maxLength={64} onChange={(e) => setUsername(e.target.value)} />
          </Field>
          <Field label="Password" error={form.errors.password} hint={`At least ${MIN_PASSWORD} characters`}>
            <input name="new-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </Field>
        </div>
        <div className="row">
          <Field label="Role" error={form.errors.role}>
            <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label}
                </option>
              ))}
            </select>
          </Field>
          {role === "viewer" && (
            <Field label="Client" error={form.errors.clientId} hint="The only client this viewer sees">
              <ClientSelect clients={clients} value={clientId} onChange={setClientId} />
            </Field>
          )}
        </div>
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            Add user
          </button>
        </div>
        <FormStatus form={form} fields={["username", "password", "role", "clientId"]} />
      </form>
    </Section>
  );
}
