import { z } from "@hono/zod-openapi";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../../auth/passwords.js";
import type { UserRow } from "../../store/queries/users.js";
import { iso, Timestamp } from "../schema.js";

const Role = z.enum(["admin", "technician", "vcio", "viewer"]).openapi({ description: "admin, technician, vcio, or viewer (one client, read-only)" });

/** A username: letters, digits and . _ @ - (starting with a letter or digit), at most 64 characters. */
export const Username = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, { error: "may contain letters, digits and . _ @ - and must start with a letter or digit" })
  .openapi({ example: "alice", description: "Unique, compared case-insensitively" });

const Password = z
  .string()
  .max(MAX_PASSWORD_LENGTH)
  .openapi({ description: `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`, example: "correct horse battery" });

const ClientId = z.string().min(1).max(64).openapi({ example: "k3JxA9bq2xPwLm0T", description: "The one client a viewer sees; only for viewers" });

/** Body of `POST /users`. */
export const CreateUserSchema = z
  .object({ username: Username, password: Password, role: Role, clientId: ClientId.nullable().optional() })
  .strict()
  .openapi("CreateUser");

/** Body of `PATCH /users/{id}`. */
export const PatchUserSchema = z
  .object({
    password: Password.optional(),
    role: Role.optional(),
    clientId: ClientId.nullable().optional(),
    disabled: z.boolean().optional().openapi({ description: "A disabled user cannot log in; their sessions end at once" }),
  })
  .strict()
  .openapi("PatchUser");

/** A dashboard user as the API shows it (never the password hash). */
export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: Role,
    clientId: z.string().nullable(),
    disabled: z.boolean(),
    createdAt: Timestamp,
    createdBy: z.string(),
    updatedAt: Timestamp,
  })
  .openapi("User");
export type UserView = z.infer<typeof UserSchema>;

export const UserListSchema = z.object({ items: z.array(UserSchema) }).openapi("UserList");

/** The API view of a stored user. */
export function userView(u: UserRow): UserView {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    clientId: u.clientId || null,
    disabled: u.disabled,
    createdAt: iso(u.createdAt),
    createdBy: u.createdBy,
    updatedAt: iso(u.updatedAt),
  };
}
