/**
 * Alerting: the engine that decides (engine.ts), the rules it applies (rules.ts), the lifecycle (state.ts),
 * routing and the delivery queue (notifier.ts), and the channels that deliver (channels/).
 */
import nodemailer from "nodemailer";
import type { Logger } from "pino";
import type { CollectorConfig } from "../config.js";
import type { Store } from "../store/clickhouse.js";
import type { MailTransport } from "./channels/index.js";
import { AlertEngine } from "./engine.js";
import { StoreAlertRepository } from "./repository.js";

export { AlertEngine, systemClock, type AlertEngineOptions, type Clock } from "./engine.js";
export { StoreAlertRepository, type AlertRepository, type HostInfo } from "./repository.js";

/**
 * The alert engine of a collector, over its store; e-mail channels use the SMTP relay when one is configured.
 * With the collector's run id, it also follows the connections other collectors hold (through the store).
 */
export function createAlertEngine(store: Store, logger: Logger, config: Pick<CollectorConfig, "publicUrl" | "agentDefaults" | "smtp">, collectorId?: string): AlertEngine {
  const email = emailRelay(config);
  return new AlertEngine({
    repo: new StoreAlertRepository(store),
    logger: logger.child({ component: "alerts" }),
    publicUrl: config.publicUrl,
    sampleIntervalMs: config.agentDefaults.healthIntervalSeconds * 1000,
    checkIntervalMs: config.agentDefaults.checkIntervalSeconds * 1000,
    deliverOptions: email ? { email } : {},
    collectorId,
  });
}

/** The SMTP relay e-mail channels send through (VIGIL_SMTP_URL, VIGIL_SMTP_FROM), or undefined when none is configured. */
export function emailRelay(config: Pick<CollectorConfig, "smtp">): { transport: MailTransport; from: string } | undefined {
  return config.smtp ? { transport: nodemailer.createTransport(config.smtp.url), from: config.smtp.from } : undefined;
}
