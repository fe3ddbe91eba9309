import { hashPassword, passwordProblem } from "../../auth/passwords.js";
import { newId } from "../../auth/secrets.js";
import { sessionsFor } from "../../auth/sessions.js";
import type { Store } from "../../store/clickhouse.js";
import { findClient } from "../../store/queries/clients.js";
import { countEnabledAdmins, deleteUser, findUserByUsername, saveUser, type UserRole, type UserRow } from "../../store/queries/users.js";
import { ApiError } from "../errors.js";

// The rules of dashboard accounts, shared by the API routes and `vigil user` when it opens the store itself:
// unique usernames (case-insensitively), the password policy, a viewer's one client, and never losing the
// last enabled admin. Every change that narrows what a user may do ends their sessions at once.

/** A new user as asked for. */
export interface NewUser {
  username: string;
  password: string;
  role: UserRole;
  clientId?: string | null;
}

/** Changes to a user; absent fields stay as they are. */
export interface UserPatch {
  password?: string;
  role?: UserRole;
  clientId?: string | null;
  disabled?: boolean;
}

// Creating users is serialized in this process, so two requests for one username cannot both pass the check.
let creating: Promise<unknown> = Promise.resolve();

/** Creates a user after checking every rule; 409 for a taken username, 400 naming the field otherwise. */
export async function createUser(store: Store, input: NewUser, actor: string): Promise<UserRow> {
  const run = creating.then(() => createNow(store, input, actor));
  creating = run.catch(() => undefined);
  return run;
}

async function createNow(store: Store, input: NewUser, actor: string): Promise<UserRow> {
  checkPassword(input.password);
  const clientId = await checkClient(store, input.role, input.clientId ?? null);
  if (await findUserByUsername(store, input.username)) throw new ApiError(409, "conflict", `username: ${input.username} is already taken`);
  const now = Date.now();
  const user: UserRow = {
    id: newId(),
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    clientId,
    disabled: false,
    createdAt: now,
    createdBy: actor,
    updatedAt: now,
  };
  return saveUser(store, user);
}

/**
 * Applies a patch; returns the user as it now stands and whether anything changed. A role change, disabling
 * or a new password ends the user's sessions.
 */
export async function updateUser(store: Store, user: UserRow, patch: UserPatch): Promise<{ user: UserRow; changed: boolean; passwordChanged: boolean }> {
  const role = patch.role ?? user.role;
  // Leaving the viewer role drops its client unless the patch says otherwise (and then it is refused below).
  const requestedClient = patch.clientId !== undefined ? patch.clientId : role === "viewer" ? user.clientId || null : null;
  const clientId = await checkClient(store, role, requestedClient);
  const disabled = patch.disabled ?? user.disabled;
  if (patch.password !== undefined) checkPassword(patch.password);

  const wasActiveAdmin = user.role === "admin" && !user.disabled;
  if (wasActiveAdmin && (role !== "admin" || disabled) && (await countEnabledAdmins(store)) <= 1) {
    throw new ApiError(409, "conflict", `${role !== "admin" ? "role" : "disabled"}: ${user.username} is the last enabled admin`);
  }
  const passwordChanged = patch.password !== undefined;
  const changed = passwordChanged || role !== user.role || clientId !== user.clientId || disabled !== user.disabled;
  if (!changed) return { user, changed, passwordChanged };

  const next: UserRow = { ...user, role, clientId, disabled, passwordHash: passwordChanged ? await hashPassword(patch.password!) : user.passwordHash };
  const saved = await saveUser(store, next);
  const sessions = sessionsFor(store);
  if (passwordChanged || role !== user.role || clientId !== user.clientId || (disabled && !user.disabled)) await sessions.revokeUser(user.id);
  else sessions.forgetUser(user.id);
  return { user: saved, changed, passwordChanged };
}

/** Deletes a user and ends their sessions; 409 for the last enabled admin. */
export async function removeUser(store: Store, user: UserRow): Promise<void> {
  if (user.role === "admin" && !user.disabled && (await countEnabledAdmins(store)) <= 1) {
    throw new ApiError(409, "conflict", `${user.username} is the last enabled admin`);
  }
  await deleteUser(store, user);
  await sessionsFor(store).revokeUser(user.id);
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw ApiError.invalid("password", problem);
}

// A viewer sees exactly one client, which must exist; other roles see every client and have none.
async function checkClient(store: Store, role: UserRole, clientId: string | null): Promise<string> {
  if (role !== "viewer") {
    if (clientId) throw ApiError.invalid("clientId", "only a viewer is limited to one client; leave it out for other roles");
    return "";
  }
  if (!clientId) throw ApiError.invalid("clientId", "required for a viewer (the one client they may see)");
  if (!(await findClient(store, clientId))) throw ApiError.invalid("clientId", `no client with id ${clientId}`);
  return clientId;
}
