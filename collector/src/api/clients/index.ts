import { createRouter } from "../router.js";
import { registerGetClient } from "./get.js";
import { registerListClients } from "./list.js";
import { registerPatchClient } from "./patch.js";
import { registerPostClient } from "./post.js";

/** `/api/v1/clients`: the MSP's customers and their availability policy. */
export function clientsApi() {
  const api = createRouter();
  registerPostClient(api);
  registerListClients(api);
  registerGetClient(api);
  registerPatchClient(api);
  return api;
}
