import type { ConnectionEvent } from "./session.js";

/** Something told of each agent connection event (connected, goodbye, disconnected, refused). */
export interface ConnectionObserver {
  onConnectionEvent(event: ConnectionEvent): void;
}

/** A connection event as this collector saw it happen, with when. */
export interface PresenceEvent extends ConnectionEvent {
  at: number;
}

/** Subscribing to this collector's connection events; returns the unsubscribe function. */
export interface PresenceEventSource {
  subscribe(listener: (event: PresenceEvent) => void): () => void;
}

/**
 * Fans the gateway's connection events out to several listeners (the alert engine, live fleet views). A
 * listener that throws is logged by the caller's `onError` and does not stop the others.
 */
export class PresenceEvents implements ConnectionObserver, PresenceEventSource {
  private readonly listeners = new Set<(event: PresenceEvent) => void>();

  constructor(private readonly onError: (err: Error) => void = () => undefined) {}

  /** Adds a listener; the returned function removes it. */
  subscribe(listener: (event: PresenceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Adds an observer with the gateway's observer shape (the alert engine). */
  observe(observer: ConnectionObserver): () => void {
    return this.subscribe((e) => observer.onConnectionEvent(e));
  }

  /** Number of listeners now. */
  get size(): number {
    return this.listeners.size;
  }

  /** Called by the gateway for each event; tells every listener. */
  onConnectionEvent(event: ConnectionEvent): void {
    const stamped: PresenceEvent = { ...event, at: Date.now() };
    for (const listener of [...this.listeners]) {
      try {
        listener(stamped);
      } catch (err) {
        this.onError(err as Error);
      }
    }
  }
}
