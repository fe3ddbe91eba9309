import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findUser, listUsers } from "../../store/queries/users.js";
import { ADMIN_ROLES, auditChange } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonBody, jsonResponse } from "../schema.js";
import { CreateUserSchema, PatchUserSchema, UserListSchema, UserSchema, userView } from "./schema.js";
import { createUser, removeUser, updateUser } from "./service.js";

const tags = ["users"];
const admin = [requireRole(...ADMIN_ROLES)];

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List dashboard users",
  middleware: admin,
  security: bearerSecurity,
  responses: { 200: jsonResponse("The users, by username", UserListSchema), ...errorResponses(401, 403, 503) },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One dashboard user",
  middleware: admin,
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 200: jsonResponse("The user", UserSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

const post = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create a dashboard user",
  description:
    "Usernames are unique case-insensitively (409 when taken). Passwords are 10 to 200 characters and stored as scrypt " +
    "hashes. A viewer needs the clientId of the one client they may see; other roles must not have one. Audited.",
  middleware: admin,
  security: bearerSecurity,
  request: { body: jsonBody(CreateUserSchema) },
  responses: { 201: jsonResponse("The new user", UserSchema), ...errorResponses(400, 401, 403, 409, 503) },
});

const patch = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Change a user's password, role, client or disabled flag",
  description:
    "A new password, another role or client, or disabling ends the user's sessions at once. The last enabled admin " +
    "cannot be demoted or disabled (409). Leaving the viewer role drops the client. Audited (never the password).",
  middleware: admin,
  security: bearerSecurity,
  request: { params: IdParams, body: jsonBody(PatchUserSchema) },
  responses: { 200: jsonResponse("The user as it now stands", UserSchema), ...errorResponses(400, 401, 403, 404, 409, 503) },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete a dashboard user",
  description: "Ends their sessions at once. The last enabled admin cannot be deleted (409). Audited.",
  middleware: admin,
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(400, 401, 403, 404, 409, 503) },
});

/** Registers the admin-only user management routes. */
export function registerUsers(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(list, async (c) => {
    const users = await listUsers(c.var.deps.store);
    return c.json({ items: users.map(userView) }, 200);
  });

  api.openapi(get, async (c) => {
    const user = await findUser(c.var.deps.store, c.req.valid("param").id);
    if (!user) throw ApiError.notFound("user");
    return c.json(userView(user), 200);
  });

  api.openapi(post, async (c) => {
    const body = c.req.valid("json");
    const user = await createUser(c.var.deps.store, body, principalOf(c).subject);
    const view = userView(user);
    await auditChange(c, { clientId: "", entity: "user", entityId: user.id, action: "create", before: null, after: view });
    return c.json(view, 201);
  });

  api.openapi(patch, async (c) => {
    const { store } = c.var.deps;
    const user = await findUser(store, c.req.valid("param").id);
    if (!user) throw ApiError.notFound("user");
    const result = await updateUser(store, user, c.req.valid("json"));
    const view = userView(result.user);
    if (result.changed) {
      // The audit says that the password changed, never what it is.
      const after = result.passwordChanged ? { ...view, passwordChanged: true } : view;
      await auditChange(c, { clientId: "", entity: "user", entityId: user.id, action: "update", before: userView(user), after });
    }
    return c.json(view, 200);
  });

  api.openapi(remove, async (c) => {
    const { store } = c.var.deps;
    const user = await findUser(store, c.req.valid("param").id);
    if (!user) throw ApiError.notFound("user");
    await removeUser(store, user);
    await auditChange(c, { clientId: "", entity: "user", entityId: user.id, action: "delete", before: userView(user), after: null });
    return c.body(null, 204);
  });
}
