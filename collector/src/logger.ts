import pino, { type Logger } from "pino";

/** Structured JSON logs to stdout; credentials are redacted wherever they might appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "vigil-collector" },
    redact: {
      paths: ["authorization", "token", "agentToken", "*.authorization", "*.token", "*.agentToken", "req.headers.authorization"],
      censor: "[redacted]",
    },
  });
}
