/**
 * Alerting: the engine that decides (engine.ts), the rules it applies (rules.ts), the lifecycle (state.ts),
 * routing and the delivery queue (notifier.ts), and the channels that deliver (channels/).
 */
import nodemailer from "nodemailer";
import type { Logger } from "pino";
import type { CollectorConfig } from "../config.js";
import type { Store } from "../store/clickhouse.js";
import { AlertEngine } from "./engine.js";
import { StoreAlertRepository } from "./repository.js";

export { AlertEngine, systemClock, type AlertEngineOptions, type Clock } from "./engine.js";
export { StoreAlertRepository, type AlertRepository, type HostInfo } from "./repository.js";

/** The alert engine of a collector, over its store; e-mail channels use the SMTP relay when one is configured. */
export function createAlertEngine(store: Store, logger: Logger, config: Pick<CollectorConfig, "publicUrl" | "agentDefaults" | "smtp">): AlertEngine {
  const email = config.smtp ? { transport: nodemailer.createTransport(config.smtp.url), from: config.smtp.from } : undefined;
  return new AlertEngine({
    repo: new StoreAlertRepository(store),
    logger: logger.child({ component: "alerts" }),
    publicUrl: config.publicUrl,
    sampleIntervalMs: config.agentDefaults.healthIntervalSeconds * 1000,
    checkIntervalMs: config.agentDefaults.checkIntervalSeconds * 1000,
    deliverOptions: email ? { email } : {},
  });
}
