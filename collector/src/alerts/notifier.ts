/**
 * From an alert event to deliveries: which channels (routes, escalation steps, the default route), what
 * each is sent (an AlertNotification with a signed ack link), and a bounded queue that runs `deliver()` in
 * the background and writes every result to the delivery log. A receiver that hangs costs a queue slot,
 * never the engine's time.
 */
import {
  deliver as realDeliver,
  signAckToken,
  type AlertEvent,
  type AlertNotification,
  type DeliverOptions,
  type DeliveryResult,
} from "./channels/index.js";
import type { AlertRoute, StoredChannel } from "../store/queries/alert-config.js";
import type { DeliveryLogEntry } from "../store/queries/alerts.js";
import type { Alert } from "./state.js";

/** The delivery function (the real `deliver`, or a stand-in in tests). */
export type DeliverFn = typeof realDeliver;

/** The part of pino the alerting code logs through. */
export interface AlertLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** How long an ack link in a notification stays valid. */
export const ACK_LINK_TTL_MS = 24 * 3600_000;

/** Channels to notify at once (step 0) and later while nobody acknowledges (steps 1…). */
export interface RoutePlan {
  steps: Array<{ afterMinutes: number; channelIds: string[] }>;
}

/**
 * Where an alert's notifications go. Routes of its client (or of any client) whose severities include
 * the alert's (none listed = all) are merged: their channels form step 0, their escalation steps follow,
 * merged by delay. Without a matching route, the default route: every enabled global channel and every
 * enabled channel of the alert's client. Disabled, deleted and other clients' channels are left out.
 */
export function routePlan(alert: Pick<Alert, "clientId" | "severity">, routes: readonly AlertRoute[], channels: readonly StoredChannel[]): RoutePlan {
  const usable = new Map(channels.filter((c) => c.enabled && (c.clientId === "" || c.clientId === alert.clientId)).map((c) => [c.id, c]));
  const matching = routes.filter(
    (r) => r.enabled && (r.clientId === "" || r.clientId === alert.clientId) && (r.severities.length === 0 || r.severities.includes(alert.severity)),
  );
  if (matching.length === 0) return { steps: [{ afterMinutes: 0, channelIds: [...usable.keys()] }] };
  const byDelay = new Map<number, Set<string>>([[0, new Set()]]);
  for (const r of matching) {
    for (const id of r.channelIds) byDelay.get(0)!.add(id);
    for (const step of r.escalation) {
      const set = byDelay.get(step.afterMinutes) ?? new Set<string>();
      for (const id of step.channelIds) set.add(id);
      byDelay.set(step.afterMinutes, set);
    }
  }
  const steps = [...byDelay.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([afterMinutes, ids]) => ({ afterMinutes, channelIds: [...ids].filter((id) => usable.has(id)) }));
  return { steps };
}

/** What a channel needs besides the alert: names to show and the rule's name. */
export interface NotificationContext {
  ruleName: string;
  clientName: string;
  siteName?: string;
}

/** Builds the notification every channel formats; the ack link only where an unacknowledged alert asks for action. */
export function buildNotification(
  alert: Alert,
  event: AlertEvent,
  ctx: NotificationContext,
  links: { publicUrl: string; ackKey?: string; now: number },
): AlertNotification {
  const n: AlertNotification = {
    event,
    alertId: alert.id,
    ruleName: ctx.ruleName,
    severity: alert.severity,
    subject: { kind: alert.subjectKind, name: alert.subjectName },
    clientName: ctx.clientName,
    summary: alert.summary,
    startedAt: alert.startedAt,
    dedupKey: `vigil:${alert.subjectKey}:${alert.id}`,
    dashboardUrl: `${links.publicUrl}/alerts/${encodeURIComponent(alert.id)}`,
  };
  if (ctx.siteName) n.siteName = ctx.siteName;
  if (alert.acknowledgedAt !== null) {
    n.acknowledgedAt = alert.acknowledgedAt;
    n.acknowledgedBy = alert.acknowledgedBy;
  }
  if (alert.resolvedAt !== null) n.resolvedAt = alert.resolvedAt;
  if (links.ackKey && (event === "firing" || event === "repeat") && alert.acknowledgedAt === null) {
    const token = signAckToken({ alertId: alert.id, expiresAt: links.now + ACK_LINK_TTL_MS }, links.ackKey);
    n.ackUrl = `${links.publicUrl}/api/v1/alerts/ack?token=${token}`;
  }
  return n;
}

interface Job {
  key: string;
  channel: StoredChannel;
  notification: AlertNotification;
  clientId: string;
}

/** Settings of the delivery queue. */
export interface DeliveryQueueOptions {
  deliver?: DeliverFn;
  /** Passed to every `deliver()` call (timeouts, retries, the e-mail transport). */
  deliverOptions?: Omit<DeliverOptions, "signal" | "logger" | "deliveryId">;
  /** Deliveries running at once (default 16). */
  concurrency?: number;
  /** Deliveries running at once to one channel (default 4): a receiver that hangs cannot take every slot. */
  perChannel?: number;
  /** Deliveries waiting at most per channel; beyond, the channel's new ones are dropped and logged as failed (default 500). */
  maxQueued?: number;
  /** Writes results to the delivery log. */
  log(entries: DeliveryLogEntry[]): Promise<void>;
  logger: AlertLogger;
  now?: () => number;
}

/**
 * Runs deliveries in the background: at most `concurrency` at once and `perChannel` per channel, at most
 * `maxQueued` waiting per channel, and one at a time per alert and channel so a receiver sees an alert's
 * events in order (firing before resolved).
 */
export class DeliveryQueue {
  private readonly waiting: Job[] = [];
  private readonly busy = new Set<string>();
  private readonly perChannel = new Map<string, number>();
  private readonly abort = new AbortController();
  private readonly idleWaiters: Array<() => void> = [];
  private running = 0;
  private stopped = false;

  constructor(private readonly options: DeliveryQueueOptions) {}

  /** Queues one notification for one channel; never blocks, never throws. */
  enqueue(channel: StoredChannel, notification: AlertNotification, clientId: string): void {
    const max = this.options.maxQueued ?? 500;
    // Bounded per channel: a receiver that hangs backs up its own notifications, not everyone's.
    if (this.stopped || this.waiting.filter((j) => j.channel.id === channel.id).length >= max) {
      const why = this.stopped ? "collector stopping" : `delivery queue full (${max} waiting)`;
      this.options.logger.error({ alertId: notification.alertId, channelId: channel.id, event: notification.event }, `notification dropped: ${why}`);
      void this.write([{ ...this.entry(channel, notification, clientId), error: why }]);
      return;
    }
    this.waiting.push({ key: `${notification.alertId}|${channel.id}`, channel, notification, clientId });
    this.pump();
  }

  /** Deliveries waiting or running. */
  get depth(): number {
    return this.waiting.length + this.running;
  }

  /** Resolves once nothing is waiting or running (tests, shutdown). */
  idle(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels running deliveries (their results are logged as aborted), drops waiting ones, and waits. */
  async stop(): Promise<void> {
    this.stopped = true;
    const dropped = this.waiting.splice(0);
    if (dropped.length) await this.write(dropped.map((j) => ({ ...this.entry(j.channel, j.notification, j.clientId), error: "collector stopping" })));
    this.abort.abort();
    await this.idle();
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 16;
    const perChannel = this.options.perChannel ?? 4;
    for (let i = 0; i < this.waiting.length && this.running < concurrency; ) {
      const job = this.waiting[i]!;
      const channelRunning = this.perChannel.get(job.channel.id) ?? 0;
      if (this.busy.has(job.key) || channelRunning >= perChannel) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.busy.add(job.key);
      this.perChannel.set(job.channel.id, channelRunning + 1);
      this.running++;
      void this.run(job).finally(() => {
        this.busy.delete(job.key);
        const left = (this.perChannel.get(job.channel.id) ?? 1) - 1;
        if (left > 0) this.perChannel.set(job.channel.id, left);
        else this.perChannel.delete(job.channel.id);
        this.running--;
        this.pump();
        if (this.depth === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    const deliver = this.options.deliver ?? realDeliver;
    let result: DeliveryResult;
    try {
      result = await deliver(job.channel.config, job.notification, { ...this.options.deliverOptions, signal: this.abort.signal, logger: this.options.logger });
    } catch (err) {
      // deliver() resolves for failed deliveries; a throw is a bug, logged like a failed delivery.
      this.options.logger.error({ alertId: job.notification.alertId, channelId: job.channel.id, err: (err as Error).message }, "delivery failed unexpectedly");
      await this.write([{ ...this.entry(job.channel, job.notification, job.clientId), error: "internal error" }]);
      return;
    }
    const entry: DeliveryLogEntry = {
      at: result.attempts[0]?.at ?? this.now(),
      clientId: job.clientId,
      alertId: job.notification.alertId,
      channelId: job.channel.id,
      channelType: job.channel.config.type,
      event: job.notification.event,
      deliveryId: result.deliveryId,
      ok: result.ok,
      attempts: result.attempts,
      error: result.error?.message ?? "",
    };
    const fields = { alertId: entry.alertId, channelId: entry.channelId, channelType: entry.channelType, event: entry.event, attempts: entry.attempts.length };
    if (result.ok) this.options.logger.info(fields, "alert notification delivered");
    await this.write([entry]);
  }

  private entry(channel: StoredChannel, notification: AlertNotification, clientId: string): DeliveryLogEntry {
    return { at: this.now(), clientId, alertId: notification.alertId, channelId: channel.id, channelType: channel.config.type, event: notification.event, deliveryId: "", ok: false, attempts: [], error: "" };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async write(entries: DeliveryLogEntry[]): Promise<void> {
    try {
      await this.options.log(entries);
    } catch (err) {
      this.options.logger.error({ err: (err as Error).message, count: entries.length }, "delivery log not written");
    }
  }
}
