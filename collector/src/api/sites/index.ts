import { createRouter } from "../router.js";
import { registerGetSite } from "./get.js";
import { registerListSites } from "./list.js";
import { registerPatchSite } from "./patch.js";
import { registerPostSite } from "./post.js";

/** `/api/v1/sites`: locations of a client whose hosts share a network, each optionally in its own time zone. */
export function sitesApi() {
  const api = createRouter();
  registerPostSite(api);
  registerListSites(api);
  registerGetSite(api);
  registerPatchSite(api);
  return api;
}
