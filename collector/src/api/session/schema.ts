import { z } from "@hono/zod-openapi";
import { MAX_PASSWORD_LENGTH } from "../../auth/passwords.js";

/** Body of `POST /session`. */
export const LoginSchema = z
  .object({
    username: z.string().min(1).max(64).openapi({ example: "alice" }),
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH).openapi({ example: "correct horse battery" }),
  })
  .strict()
  .openapi("Login");

/** Who is logged in. */
export const SessionUserSchema = z
  .object({
    id: z.string().openapi({ description: "The user's id (`admin-token` for the admin API token)" }),
    username: z.string(),
    role: z.enum(["admin", "technician", "vcio", "viewer"]),
    clientId: z.string().nullable().openapi({ description: "The one client a viewer sees; null for other roles" }),
  })
  .openapi("SessionUser");

export const SessionSchema = z.object({ user: SessionUserSchema }).openapi("Session");
