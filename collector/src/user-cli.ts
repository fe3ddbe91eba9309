import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Username, userView } from "./api/users/schema.js";
import { createUser, updateUser } from "./api/users/service.js";
import { ApiError } from "./api/errors.js";
import { passwordProblem } from "./auth/passwords.js";
import type { CollectorConfig } from "./config.js";
import { DataDirBusyError, lockDataDir, type DataDirLock } from "./operations/data-dir-lock.js";
import { openStore, type Store } from "./store/clickhouse.js";
import { migrate } from "./store/migrate.js";
import { recordAudit } from "./store/queries/audit.js";
import { findUserByUsername, listUsers, type UserRole } from "./store/queries/users.js";

// `vigil user create|list|passwd`: dashboard accounts from the command line, e.g. the first admin. The embedded
// store belongs to a running collector (it holds the data-dir lock), so then the command goes through that
// collector's API with the admin token; otherwise it opens the store itself, as `vigil migrate` does.

/** Options of `vigil user`, as parsed from the command line. */
export interface UserCliOptions {
  username?: string;
  admin?: boolean;
  role?: string;
  client?: string;
  url?: string;
}

/** A `vigil user` request that cannot be carried out; the message says why and is printed as is. */
export class UserCliError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable = false) {
    super(message);
    this.name = "UserCliError";
    this.retryable = retryable;
  }
}

/** The user as both paths report it. */
interface ListedUser {
  id: string;
  username: string;
  role: string;
  clientId: string | null;
  disabled: boolean;
}

/** What `vigil user` does, over the API or over the store. */
interface Accounts {
  create(input: { username: string; password: string; role: UserRole; clientId?: string }): Promise<ListedUser>;
  list(): Promise<ListedUser[]>;
  setPassword(username: string, password: string): Promise<void>;
  close(): Promise<void>;
}

const ROLES: readonly UserRole[] = ["admin", "technician", "vcio", "viewer"];
const ACTOR = "cli";

/** Runs `vigil user <action>`; returns the exit code. */
export async function userCommand(action: string | undefined, o: UserCliOptions, config: CollectorConfig): Promise<number> {
  if (action !== "create" && action !== "list" && action !== "passwd") {
    throw new UserCliError('user needs an action: "vigil user create --username NAME [--admin | --role ROLE] [--client ID]", "vigil user list" or "vigil user passwd --username NAME"');
  }
  let role: UserRole = "admin";
  if (action === "create") {
    if (!o.username) throw new UserCliError("user create needs --username NAME");
    const name = Username.safeParse(o.username);
    if (!name.success) throw new UserCliError(`--username: ${name.error.issues[0]?.message}`);
    if (o.admin && o.role && o.role !== "admin") throw new UserCliError("--admin and --role disagree; give one of them");
    if (!o.admin && !o.role) throw new UserCliError(`user create needs --admin or --role ROLE (${ROLES.join(", ")})`);
    role = (o.admin ? "admin" : o.role) as UserRole;
    if (!ROLES.includes(role)) throw new UserCliError(`--role must be one of ${ROLES.join(", ")}`);
    if (role === "viewer" && !o.client) throw new UserCliError("a viewer needs --client ID (the one client they may see)");
    if (role !== "viewer" && o.client) throw new UserCliError("--client is only for viewers");
  }
  if (action === "passwd" && !o.username) throw new UserCliError("user passwd needs --username NAME");
  // Read before anything is opened, so a weak password changes nothing.
  const password = action === "list" ? "" : await readPassword();

  const accounts = await openAccounts(config, o.url);
  try {
    if (action === "create") {
      const user = await accounts.create({ username: o.username!, password, role, clientId: o.client });
      console.log(`created ${user.role} ${user.username} (id ${user.id})${user.clientId ? ` for client ${user.clientId}` : ""}`);
    } else if (action === "passwd") {
      await accounts.setPassword(o.username!, password);
      console.log(`password of ${o.username} changed; their sessions have ended`);
    } else {
      const users = await accounts.list();
      if (users.length === 0) console.log('no dashboard users yet; create one with "vigil user create --username NAME --admin"');
      for (const u of users) console.log([u.username.padEnd(24), u.role.padEnd(10), (u.clientId ?? "-").padEnd(18), u.disabled ? "disabled" : "enabled", u.id].join(" "));
    }
    return 0;
  } finally {
    await accounts.close();
  }
}

// The password from VIGIL_USER_PASSWORD, or stdin: typed without echo (twice) at a terminal, else its first line.
async function readPassword(): Promise<string> {
  let password = process.env.VIGIL_USER_PASSWORD;
  if (password === undefined) {
    if (process.stdin.isTTY) {
      password = await promptHidden("Password: ");
      if ((await promptHidden("Repeat password: ")) !== password) throw new UserCliError("the passwords differ");
    } else {
      password = (await readStdin()).split(/\r?\n/)[0] ?? "";
    }
  }
  const problem = passwordProblem(password);
  if (problem) throw new UserCliError(`weak password: ${problem}`);
  return password;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let typed = "";
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new UserCliError("cancelled"));
        if (ch === "\u007f" || ch === "\b") typed = [...typed].slice(0, -1).join("");
        else typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}

// Over the API when a collector holds the embedded store; otherwise the store itself.
async function openAccounts(config: CollectorConfig, url: string | undefined): Promise<Accounts> {
  if (url) return apiAccounts(config, url);
  let lock: DataDirLock | undefined;
  if (config.clickhouse.kind === "embedded") {
    try {
      lock = lockDataDir(config.dataDir, "user");
    } catch (err) {
      if (err instanceof DataDirBusyError && err.owner.holder === "serve") return apiAccounts(config, config.publicUrl);
      throw err;
    }
  }
  try {
    const store = await openStore(config.clickhouse);
    await migrate(store, config.retention, { cluster: config.clickhouse.kind === "remote" ? config.clickhouse.cluster : undefined });
    return storeAccounts(store, () => lock?.release());
  } catch (err) {
    lock?.release();
    throw err;
  }
}

function storeAccounts(store: Store, release: () => void): Accounts {
  // The service's ApiErrors carry the messages a person needs ("username: alice is already taken").
  const clear = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ApiError) throw new UserCliError(err.message);
      throw err;
    }
  };
  const audit = (entityId: string, action: "create" | "update", before: unknown, after: unknown) =>
    recordAudit(store, { at: Date.now(), actor: ACTOR, clientId: "", entity: "user", entityId, action, before, after });
  return {
    create: (input) =>
      clear(async () => {
        const view = userView(await createUser(store, input, ACTOR));
        await audit(view.id, "create", null, view);
        return view;
      }),
    list: async () => (await listUsers(store)).map(userView),
    setPassword: (username, password) =>
      clear(async () => {
        const user = await findUserByUsername(store, username);
        if (!user) throw new UserCliError(`no user named ${username}`);
        const result = await updateUser(store, user, { password });
        await audit(user.id, "update", userView(user), { ...userView(result.user), passwordChanged: true });
      }),
    close: async () => {
      await store.close();
      release();
    },
  };
}

function apiAccounts(config: CollectorConfig, url: string): Accounts {
  const base = url.replace(/\/+$/, "");
  const token = adminToken(config);
  const request = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${base}/api/v1${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new UserCliError(`cannot reach the collector at ${base} (${(err as Error).message}); it holds the data directory, so is it still starting? (--url to point elsewhere)`, true);
    }
    const parsed = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
    if (!res.ok) throw new UserCliError(`the collector refused (${res.status}): ${parsed?.error?.message ?? res.statusText}`, res.status >= 500);
    return parsed as T;
  };
  const list = async () => (await request<{ items: ListedUser[] }>("GET", "/users")).items;
  return {
    create: (input) => request<ListedUser>("POST", "/users", { username: input.username, password: input.password, role: input.role, ...(input.clientId ? { clientId: input.clientId } : {}) }),
    list,
    setPassword: async (username, password) => {
      const user = (await list()).find((u) => u.username.toLowerCase() === username.toLowerCase());
      if (!user) throw new UserCliError(`no user named ${username}`);
      await request("PATCH", `/users/${encodeURIComponent(user.id)}`, { password });
    },
    close: async () => {},
  };
}

function adminToken(config: CollectorConfig): string {
  if (config.adminToken) return config.adminToken;
  const file = path.join(config.dataDir, "admin-token");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  throw new UserCliError(`no admin token: set VIGIL_ADMIN_TOKEN or run where ${file} exists (VIGIL_DATA_DIR)`);
}
