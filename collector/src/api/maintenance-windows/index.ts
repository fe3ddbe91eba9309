import { createRouter } from "../router.js";
import { registerDeleteMaintenanceWindow } from "./delete.js";
import { registerListMaintenanceWindows } from "./list.js";
import { registerPostMaintenanceWindow } from "./post.js";

/** `/api/v1/maintenance-windows`: planned (or afterwards recorded) maintenance, excluded from the SLA. */
export function maintenanceWindowsApi() {
  const api = createRouter();
  registerPostMaintenanceWindow(api);
  registerListMaintenanceWindows(api);
  registerDeleteMaintenanceWindow(api);
  return api;
}
