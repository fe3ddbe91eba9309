/** Test helpers: real HTTP receivers on 127.0.0.1 and a sample notification. Not part of the build. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AlertNotification } from "./notification.js";

/** A request as the receiver saw it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The exact bytes received, as signatures must be checked over them. */
  rawBody: Buffer;
  json(): unknown;
}

/** Answers the n-th request (0-based); never calling `res.end` makes a receiver that hangs. */
export type Responder = (request: ReceivedRequest, res: ServerResponse, index: number) => void;

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts an HTTP server on a random loopback port that records every request and answers with `respond`. */
export async function startReceiver(respond: Responder = (_r, res) => res.end("ok")): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      const request: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        json: () => JSON.parse(rawBody.toString("utf8")) as unknown,
      };
      requests.push(request);
      respond(request, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging responses and keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Replies with a status and an optional body. */
export function reply(res: ServerResponse, status: number, body = "", headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end(body);
}

export const STARTED_AT = Date.parse("2026-03-02T08:15:00.000Z");

/** A firing host-down alert for a client with a non-ASCII name; override what a test cares about. */
export function sampleNotification(overrides: Partial<AlertNotification> = {}): AlertNotification {
  return {
    event: "firing",
    alertId: "al_7Qm2xP",
    ruleName: "Host down",
    severity: "critical",
    subject: { kind: "host", name: "db-01" },
    clientName: "Zahnarztpraxis Müller & Söhne",
    siteName: "Main office",
    summary: "No samples from db-01 for 45 s; the site's other hosts are up. <script>alert(1)</script>",
    startedAt: STARTED_AT,
    dedupKey: "vigil:host:h_db01:2026-03-02T08:15:00Z",
    dashboardUrl: "https://vigil.example.com/alerts/al_7Qm2xP",
    ackUrl: "https://vigil.example.com/ack?token=eyJhIjoiYWxfN1FtMnhQIn0.c2lnbmF0dXJl",
    ...overrides,
  };
}
