/**
 * Collector settings for tests: agents must never ping the machine's real gateway, only loopback,
 * so the pushed configuration turns the gateway check off and adds loopback checks instead.
 */
export const LOOPBACK_AGENT_ENV: Record<string, string> = {
  VIGIL_AGENT_PING_GATEWAY: "false",
  VIGIL_AGENT_CHECKS: JSON.stringify([{ id: "loopback-ping", type: "ping", host: "127.0.0.1", role: "internet" }]),
  VIGIL_AGENT_HEALTH_INTERVAL: "1",
  VIGIL_AGENT_CHECK_INTERVAL: "5",
};
