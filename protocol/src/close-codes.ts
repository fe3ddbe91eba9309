/**
 * WebSocket close codes used by the collector and agent, and whether a reconnect can help.
 * 1000–1011 are the standard codes; 4000–4999 are Vigil's own.
 */
export const CloseCode = {
  /** Clean close, usually after a goodbye. Reconnect when there is something to send. */
  Normal: 1000,
  /** The collector is shutting down. Reconnect with backoff. */
  GoingAway: 1001,
  /** A frame was not valid JSON or not a known message. Reconnect with backoff; the agent has a bug. */
  ProtocolError: 1002,
  /** A frame larger than MAX_FRAME_BYTES. Reconnect; never resend that frame unchanged. */
  MessageTooBig: 1009,
  /** The collector hit an internal error. Reconnect with backoff. */
  InternalError: 1011,
  /** The agent did not answer pings in time (collectors now terminate such a connection: 1006). Reconnect with backoff. */
  PongTimeout: 4001,
  /** Another connection with the same agent token is already active. Reconnect with backoff. */
  DuplicateSession: 4009,
  /** The token was revoked while connected. Do not reconnect until re-enrolled. */
  Revoked: 4003,
  /** The first message was not a hello, or hello came twice. Reconnect with backoff. */
  HelloRequired: 4010,
  /** The agent speaks a protocol version the collector does not support. Upgrade the agent. */
  UnsupportedVersion: 4400,
  /** The collector's storage is unavailable; batches cannot be stored now. Reconnect with backoff. */
  StorageUnavailable: 4503,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting cannot help until a person acts (re-enroll, upgrade). */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.Revoked, CloseCode.UnsupportedVersion]);
