import nodemailer from "nodemailer";

/** An email with attachments, as scheduled reports send it. */
export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

/** Sends email; rejects with a MailError that says whether trying again later can succeed. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** SMTP relay settings: `smtp://` (STARTTLS when offered) or `smtps://` (TLS from the start), optional user:pass. */
export interface SmtpConfig {
  url: string;
  /** The From header, e.g. `Vigil <reports@msp.example>`. */
  from: string;
}

/** Sending failed. `retryable`: the relay was unreachable, slow or answered 4xx; a 5xx rejection will not change by itself. */
export class MailError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The SMTP reply code when the server rejected the message. */
    readonly responseCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MailError";
  }
}

// Nodemailer's defaults (2 minutes to connect, 10 minutes of socket silence) would hold an hourly run
// hostage to one dead relay; these still leave a slow relay room to take a multi-megabyte PDF.
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000, dnsTimeout: 15_000 };

// Nodemailer error codes that are a matter of configuration, not of the moment.
const PERMANENT_CODES = new Set(["EAUTH", "ENOAUTH", "EOAUTH2", "ECONFIG", "EREQUIRETLS", "EENVELOPE"]);

/** Parsed SMTP URL (throws a MailError for anything but smtp:// or smtps:// with a host). */
export function parseSmtpUrl(url: string): { host: string; port: number; secure: boolean; auth: { user: string; pass: string } | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL may hold a password, so it is not repeated.
    throw new MailError("SMTP URL is not a URL (expected smtp://host:port or smtps://user:pass@host:465)", false, undefined);
  }
  if ((parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") || parsed.hostname === "") {
    throw new MailError(`SMTP URL must be smtp:// or smtps:// with a host, got scheme ${JSON.stringify(parsed.protocol)}`, false, undefined);
  }
  const secure = parsed.protocol === "smtps:";
  return {
    // WHATWG keeps IPv6 brackets in hostname; sockets want the bare address.
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
  };
}

/** Limits on waiting for the relay, in ms (the defaults suit production; tests shorten them). */
export type SmtpTimeouts = typeof TIMEOUTS;

/** A Mailer that sends through an SMTP relay with nodemailer, one connection per message. */
export function createSmtpMailer(config: SmtpConfig, options: { timeouts?: Partial<SmtpTimeouts> } = {}): Mailer {
  const target = parseSmtpUrl(config.url);
  const where = `${target.host}:${target.port}`;
  // One connection per message: reports go out a few times an hour at most, and a pooled connection
  // would outlive the relay's idle timeout between runs anyway.
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    auth: target.auth,
    ...TIMEOUTS,
    ...options.timeouts,
    logger: false,
    debug: false,
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from: config.from,
          to: message.to,
          // Header folding is nodemailer's job, but a line break in a client's name must not start a new header.
          subject: message.subject.replace(/[\r\n]+/g, " "),
          text: message.text,
          html: message.html,
          attachments: message.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
        });
      } catch (err) {
        throw toMailError(err, where);
      }
    },
  };
}

/** Wraps whatever nodemailer threw into a MailError that names the relay (never its credentials). */
export function toMailError(err: unknown, where: string): MailError {
  if (err instanceof MailError) return err;
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : undefined;
  const responseCode = typeof e?.responseCode === "number" ? e.responseCode : undefined;
  const message = typeof e?.message === "string" ? e.message : String(err);
  let retryable: boolean;
  if (responseCode !== undefined) retryable = responseCode < 500;
  else retryable = code === undefined || !PERMANENT_CODES.has(code);
  return new MailError(`SMTP ${where}: ${message}`, retryable, responseCode, { cause: err });
}
