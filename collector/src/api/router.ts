import { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps } from "./app.js";
import type { Principal } from "./auth.js";
import { validationHook } from "./errors.js";

/** Hono environment of every API route: the app's dependencies and, once authenticated, the caller. */
export interface ApiEnv {
  Variables: {
    deps: ApiDeps;
    principal: Principal | undefined;
  };
}

/** A router for one resource, with the validation hook that turns zod failures into 400 `invalid_request`. */
export function createRouter(): OpenAPIHono<ApiEnv> {
  return new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
}
