import { createRouter } from "../router.js";
import { registerInventoryChanges } from "./changes.js";
import { registerHostInventory } from "./host.js";
import { registerInventorySearch } from "./search.js";

/** `/api/v1/inventory`: fleet search and changes over the hosts' inventories. */
export function inventoryApi() {
  const api = createRouter();
  registerInventorySearch(api);
  registerInventoryChanges(api);
  return api;
}

/** `/api/v1/hosts/{id}/inventory`: one host's newest inventory (mounted beside the hosts routes). */
export function hostInventoryApi() {
  const api = createRouter();
  registerHostInventory(api);
  return api;
}
