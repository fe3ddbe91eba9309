export { InventoryReporter, type InventoryReporterOptions } from "./reporter.js";
export { InventorySchedule, inventoryCron } from "./schedule.js";
export { encodeInventory, InventoryTooLargeError, type EncodedInventory } from "./encode.js";
export { inventoryHash, stableView, canonicalJson } from "./hash.js";
export { readInventoryState, writeInventoryState, type InventoryState, type InventoryOutcome } from "./state.js";
