import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { createSmtpMailer, MailError, parseSmtpUrl } from "./mailer.js";

const message = {
  to: ["it@acme.example"],
  subject: "Test",
  text: "hello",
  html: "<p>hello</p>",
  attachments: [{ filename: "a.pdf", content: Buffer.from("%PDF-1.4\n"), contentType: "application/pdf" }],
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function smtpServer(options: SMTPServerOptions): Promise<number> {
  const server = new SMTPServer({ disabledCommands: ["STARTTLS"], logger: false, ...options });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.server.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function sendError(promise: Promise<void>): Promise<MailError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MailError);
  return err as MailError;
}

describe("parseSmtpUrl", () => {
  it("reads scheme, host, port and percent-encoded credentials", () => {
    expect(parseSmtpUrl("smtps://rep%40msp:p%3Ass%2Fw@mail.example.net")).toEqual({
      host: "mail.example.net",
      port: 465,
      secure: true,
      auth: { user: "rep@msp", pass: "p:ss/w" },
    });
    expect(parseSmtpUrl("smtp://[::1]:2525")).toEqual({ host: "::1", port: 2525, secure: false, auth: undefined });
    expect(parseSmtpUrl("smtp://relay.local").port).toBe(587);
  });

  it("rejects other schemes without repeating the URL", () => {
    for (const url of ["https://user:hunter2@mail.example.net", "not a url hunter2", "smtp://"]) {
      const err = (() => {
        try {
          parseSmtpUrl(url);
        } catch (e) {
          return e as MailError;
        }
        throw new Error("expected a throw");
      })();
      expect(err).toBeInstanceOf(MailError);
      expect(err.retryable).toBe(false);
      expect(err.message).not.toContain("hunter2");
    }
  });
});

describe("createSmtpMailer", () => {
  it("fails fast and retryably when nothing listens", async () => {
    const port = await freePort();
    const mailer = createSmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: "vigil@msp.example" });
    const started = Date.now();
    const err = await sendError(mailer.send(message));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.retryable).toBe(true);
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });

  it("gives up on a relay that accepts the connection but never speaks", async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const sockets = new Set<net.Socket>();
    silent.on("connection", (s) => sockets.add(s));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const port = (silent.address() as net.AddressInfo).port;
    const mailer = createSmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: "vigil@msp.example" }, { timeouts: { greetingTimeout: 300 } });
    const err = await sendError(mailer.send(message));
    expect(err.retryable).toBe(true);
  });

  it("classifies rejections: 5xx is permanent, 4xx is worth retrying", async () => {
    let code = 550;
    const port = await smtpServer({
      authOptional: true,
      onData(stream, _session, callback) {
        stream.resume();
        stream.on("end", () => callback(Object.assign(new Error(code === 550 ? "mailbox unavailable" : "try later"), { responseCode: code })));
      },
    });
    const mailer = createSmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: "vigil@msp.example" });
    const permanent = await sendError(mailer.send(message));
    expect(permanent).toMatchObject({ retryable: false, responseCode: 550 });
    code = 451;
    const transient = await sendError(mailer.send(message));
    expect(transient).toMatchObject({ retryable: true, responseCode: 451 });
  });

  it("authenticates with the URL's credentials and never puts the password in an error", async () => {
    const seen: Array<{ user: string | undefined; pass: string | undefined }> = [];
    const port = await smtpServer({
      allowInsecureAuth: true,
      authMethods: ["PLAIN", "LOGIN"],
      onAuth(auth, _session, callback) {
        seen.push({ user: auth.username, pass: auth.password });
        callback(new Error("bad credentials"));
      },
    });
    const mailer = createSmtpMailer({ url: `smtp://reports:s3cr%23t@127.0.0.1:${port}`, from: "vigil@msp.example" });
    const err = await sendError(mailer.send(message));
    expect(seen).toEqual([{ user: "reports", pass: "s3cr#t" }]);
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain("s3cr");
    expect(String(err.stack)).not.toContain("s3cr");
  });
});
