import { z } from "@hono/zod-openapi";
import { EnrollRequest, EnrollResponse } from "@vigil/protocol";

// The protocol's schemas may be created before zod-openapi extends zod (module order), so they are
// re-wrapped here from their shapes rather than named directly.

/** Body of `POST /api/v1/agents/enroll`: the protocol's EnrollRequest, named for the OpenAPI document. */
export const EnrollRequestSchema = z.object(EnrollRequest.shape).openapi("EnrollRequest");

/** Answer to a successful enrollment: the protocol's EnrollResponse. */
export const EnrollResponseSchema = z.object(EnrollResponse.shape).openapi("EnrollResponse");
