import { createRouter } from "../router.js";
import { registerListSites } from "./list.js";
import { registerPostSite } from "./post.js";

/** `/api/v1/sites`: locations of a client whose hosts share a network. */
export function sitesApi() {
  const api = createRouter();
  registerPostSite(api);
  registerListSites(api);
  return api;
}
