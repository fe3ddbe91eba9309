import { createRouter } from "../router.js";
import { registerGetClient } from "./get.js";
import { registerListClients } from "./list.js";
import { registerPostClient } from "./post.js";

/** `/api/v1/clients`: the MSP's customers. */
export function clientsApi() {
  const api = createRouter();
  registerPostClient(api);
  registerListClients(api);
  registerGetClient(api);
  return api;
}
