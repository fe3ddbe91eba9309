export { readBootId } from "./boot.js";
export { createHealthProbe, type HealthProbe } from "./health.js";
export { defaultGateway, parseProcNetRoute } from "./gateway.js";
export { findPingBinary, PingUnavailableError } from "./ping-binary.js";
export { runCheck, runChecks, gatewayCheckSpec, type CheckContext } from "./checks.js";
