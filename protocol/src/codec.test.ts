import { afterEach, describe, expect, it } from "vitest";
import { decodeAgentMessage, decodeCollectorMessage, encodeMessage, type Decoded } from "./codec.js";
import { ErrorCode } from "./errors.js";
import { MAX_FRAME_BYTES, MAX_LABELS, MAX_LABEL_VALUE_LENGTH, MAX_METRICS_PER_RECORD, MAX_RECORDS_PER_BATCH } from "./limits.js";
import type { AgentMessage, CollectorMessage } from "./messages.js";

const T = 1_767_261_600_000; // 2026-01-01T10:00:00Z
const BOOT = "3f9c1a52-7d4e-4b8a-9e61-0c2d5b7a8e14";

type Json = Record<string, unknown>;

const hello = (): Json => ({
  type: "hello",
  v: 1,
  agentVersion: "0.1.0",
  hostname: "fs01.acme.local",
  bootId: BOOT,
  os: { platform: "linux", release: "6.1.0-28-amd64", arch: "x64" },
  startedAt: T - 3_600_000,
  sentAt: T,
  lastSeq: 0,
});

const health = (metrics: unknown[] = [{ name: "cpu.utilization", value: 12.5 }]): Json => ({
  kind: "health",
  ts: T,
  bootId: BOOT,
  metrics,
});

const check = (): Json => ({
  kind: "check",
  ts: T,
  bootId: BOOT,
  checkId: "gateway",
  checkType: "ping",
  role: "gateway",
  target: "192.168.1.1",
  ok: true,
  latencyMs: 0.6,
  lossPct: 0,
});

const spoolLoss = (): Json => ({
  kind: "spool_loss",
  ts: T,
  bootId: BOOT,
  droppedBatches: 3,
  droppedBytes: 4096,
  firstDroppedSeq: 10,
  lastDroppedSeq: 12,
  oldestTs: T - 60_000,
  newestTs: T - 30_000,
});

const batch = (records: unknown[] = [health()], seq: unknown = 7): Json => ({ type: "batch", v: 1, seq, sentAt: T, records });

const withMetric = (metric: Json): Json => batch([health([{ name: "cpu.utilization", value: 1, ...metric }])]);

/** Decodes an agent frame; the codec promises never to throw, so a throw fails the test here. */
function agent(frame: Json | string): Decoded<AgentMessage> {
  return decodeAgentMessage(typeof frame === "string" ? frame : JSON.stringify(frame));
}

function collector(frame: Json | string): Decoded<CollectorMessage> {
  return decodeCollectorMessage(typeof frame === "string" ? frame : JSON.stringify(frame));
}

/** Asserts a refusal with `code`, whose message mentions `field` (a path like `records.0.ts`). */
function expectRefused(result: Decoded<unknown>, code: ErrorCode, field?: string): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.code).toBe(code);
  expect(typeof result.message).toBe("string");
  expect(result.message.length).toBeGreaterThan(0);
  expect(result.message.length).toBeLessThan(500);
  if (field !== undefined) expect(result.message).toContain(field);
}

describe("good messages decode", () => {
  it("hello", () => {
    const r = agent(hello());
    expect(r).toEqual({ ok: true, message: hello() });
  });

  it("batch with health, check and spool_loss records", () => {
    const r = agent(batch([health(), check(), spoolLoss()]));
    expect(r.ok).toBe(true);
    if (r.ok && r.message.type === "batch") {
      expect(r.message.seq).toBe(7);
      expect(r.message.records.map((x) => x.kind)).toEqual(["health", "check", "spool_loss"]);
    }
  });

  it("health record with labels and an empty metrics list", () => {
    const labelled = health([
      { name: "fs.used_pct", labels: { mount: "/", device: "/dev/sda1", fstype: "ext4" }, value: 72.4 },
      { name: "cpu.core.utilization", labels: { core: "0" }, value: 0 },
      { name: "net.rx_bps", labels: { iface: "eth0" }, value: -0 },
    ]);
    expect(agent(batch([labelled, health([])])).ok).toBe(true);
  });

  it("check record of a failed http check", () => {
    const failed = {
      ...check(),
      checkId: "erp",
      checkType: "http",
      role: "service",
      target: "https://erp.acme.local/health",
      ok: false,
      latencyMs: null,
      lossPct: null,
      status: 503,
      error: "expected HTTP 200, got 503",
    };
    expect(agent(batch([failed])).ok).toBe(true);
  });

  it("goodbye with every reason", () => {
    for (const reason of ["service_stop", "os_shutdown", "os_reboot", "agent_restart", "uninstall", "user"]) {
      expect(agent({ type: "goodbye", v: 1, reason, sentAt: T }).ok).toBe(true);
    }
    expect(agent({ type: "goodbye", v: 1, reason: "user", sentAt: T, message: "Ctrl-C" }).ok).toBe(true);
  });

  it("welcome, filling in config defaults", () => {
    const r = collector({
      type: "welcome",
      v: 1,
      agentId: "agt_1",
      storedSeq: 0,
      serverTime: T,
      accepts: ["health", "check", "spool_loss"],
      config: {},
    });
    expect(r.ok).toBe(true);
    if (r.ok && r.message.type === "welcome") {
      expect(r.message.config).toEqual({ healthIntervalSeconds: 15, checkIntervalSeconds: 30, pingGateway: true, checks: [], inventoryIntervalHours: 6 });
    }
  });

  it("ack, error and config", () => {
    expect(collector({ type: "ack", v: 1, seq: 0 }).ok).toBe(true);
    expect(collector({ type: "ack", v: 1, seq: 42 }).ok).toBe(true);
    expect(
      collector({ type: "error", v: 1, code: "invalid_message", message: "records.0.ts: too small", retryable: false, seq: 9 })
        .ok,
    ).toBe(true);
    for (const code of Object.values(ErrorCode)) {
      expect(collector({ type: "error", v: 1, code, message: "m", retryable: true }).ok).toBe(true);
    }
    const config = { type: "config", v: 1, config: { checks: [{ id: "dns", type: "ping", host: "9.9.9.9", role: "internet" }] } };
    expect(collector(config).ok).toBe(true);
  });

  it("unknown fields are ignored and removed", () => {
    const r = agent({ ...hello(), future: { anything: [1, 2] } });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.message).not.toHaveProperty("future");
    const rec = agent(batch([{ ...check(), extra: "x" }]));
    expect(rec.ok).toBe(true);
    if (rec.ok && rec.message.type === "batch") expect(rec.message.records[0]).not.toHaveProperty("extra");
  });

  it("encodeMessage round-trips", () => {
    const r = agent(batch([health(), check(), spoolLoss()]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const again = decodeAgentMessage(encodeMessage(r.message));
    expect(again).toEqual(r);
  });

  it("each side decodes only its own message types", () => {
    expectRefused(collector(hello()), ErrorCode.UnknownType, "type");
    expectRefused(agent({ type: "ack", v: 1, seq: 1 }), ErrorCode.UnknownType, "type");
  });
});

describe("hostile input gets a clear error and never throws", () => {
  it("invalid JSON", () => {
    for (const frame of ["", "{", "{'type':'hello'}", "hello", '{"type":"hello",}', "\u0000", "{\"a\":1}}"]) {
      expectRefused(agent(frame), ErrorCode.InvalidJson);
    }
  });

  it("JSON that is not an object", () => {
    for (const frame of ["[]", '[{"type":"hello"}]', "42", "null", "true", '"hello"']) {
      expectRefused(agent(frame), ErrorCode.InvalidMessage);
      expectRefused(collector(frame), ErrorCode.InvalidMessage);
    }
  });

  it("unknown, missing or non-string type", () => {
    expectRefused(agent({ type: "inventory", v: 1 }), ErrorCode.UnknownType, '"inventory"');
    expectRefused(agent({ v: 1 }), ErrorCode.UnknownType, "type");
    expectRefused(agent({ type: 1, v: 1 }), ErrorCode.UnknownType, "type");
    expectRefused(agent({ type: ["hello"], v: 1 }), ErrorCode.UnknownType, "type");
    expectRefused(agent({ type: "HELLO", v: 1 }), ErrorCode.UnknownType, "type");
    // A long hostile type is not echoed back whole.
    const r = agent({ type: "x".repeat(100_000), v: 1 });
    expectRefused(r, ErrorCode.UnknownType, "type");
  });

  it("missing or wrong version", () => {
    const { v: _v, ...noVersion } = hello();
    expectRefused(agent(noVersion), ErrorCode.UnsupportedVersion, "v");
    for (const v of [0, 2, 1.5, "1", null, [1], { v: 1 }]) {
      expectRefused(agent({ ...hello(), v }), ErrorCode.UnsupportedVersion, "v");
      expectRefused(collector({ type: "ack", v, seq: 1 }), ErrorCode.UnsupportedVersion, "v");
    }
  });

  it("wrong field types name the field", () => {
    expectRefused(agent({ ...hello(), hostname: 42 }), ErrorCode.InvalidMessage, "hostname");
    expectRefused(agent({ ...hello(), os: "linux" }), ErrorCode.InvalidMessage, "os");
    expectRefused(agent({ ...hello(), os: { platform: "linux", release: "6" } }), ErrorCode.InvalidMessage, "os.arch");
    expectRefused(agent({ ...hello(), lastSeq: "0" }), ErrorCode.InvalidMessage, "lastSeq");
    expectRefused(agent({ ...hello(), hostname: "" }), ErrorCode.InvalidMessage, "hostname");
    expectRefused(agent(batch("not an array" as unknown as unknown[])), ErrorCode.InvalidMessage, "records");
    expectRefused(agent(batch([{ ...check(), ok: "yes" }])), ErrorCode.InvalidMessage, "records.0.ok");
    expectRefused(agent(batch([{ ...check(), role: "router" }])), ErrorCode.InvalidMessage, "records.0.role");
    expectRefused(agent(batch([{ ...check(), lossPct: 101 }])), ErrorCode.InvalidMessage, "records.0.lossPct");
    expectRefused(agent(batch([{ ...check(), latencyMs: -1 }])), ErrorCode.InvalidMessage, "records.0.latencyMs");
    expectRefused(agent(batch([{ ...check(), status: 600 }])), ErrorCode.InvalidMessage, "records.0.status");
    expectRefused(agent(batch([{ kind: "telemetry", ts: T, bootId: BOOT }])), ErrorCode.InvalidMessage, "records.0.kind");
    expectRefused(agent(batch([{ kind: "inventory", ts: T, bootId: BOOT }])), ErrorCode.InvalidMessage, "records.0.hash");
    expectRefused(agent(batch([{ ...health(), bootId: "" }])), ErrorCode.InvalidMessage, "records.0.bootId");
    expectRefused(agent({ type: "goodbye", v: 1, reason: "crash", sentAt: T }), ErrorCode.InvalidMessage, "reason");
    expectRefused(
      collector({ type: "error", v: 1, code: "teapot", message: "m", retryable: false }),
      ErrorCode.InvalidMessage,
      "code",
    );
    expectRefused(collector({ type: "ack", v: 1, seq: -1 }), ErrorCode.InvalidMessage, "seq");
  });

  it("a refused batch carries its seq so the collector can name it in the error", () => {
    const r = agent(batch([{ ...check(), ok: "yes" }], 41));
    expectRefused(r, ErrorCode.InvalidMessage, "records.0.ok");
    if (!r.ok) expect(r.seq).toBe(41);
  });

  it("NaN-like and huge numbers", () => {
    // JSON has no NaN or Infinity; 1e999 parses to Infinity and must not get through.
    expectRefused(agent('{"type":"batch","v":1,"seq":1,"sentAt":1767261600000,"records":[' +
      '{"kind":"health","ts":1767261600000,"bootId":"b","metrics":[{"name":"cpu.utilization","value":1e999}]}]}'),
      ErrorCode.InvalidMessage, "records.0.metrics.0.value");
    expectRefused(agent('{"type":"batch","v":1,"seq":1,"sentAt":1767261600000,"records":[' +
      '{"kind":"health","ts":1767261600000,"bootId":"b","metrics":[{"name":"cpu.utilization","value":-1e999}]}]}'),
      ErrorCode.InvalidMessage, "records.0.metrics.0.value");
    expectRefused(agent('{"type":"batch","v":1,"seq":1,"sentAt":1767261600000,"records":[' +
      '{"kind":"health","ts":1767261600000,"bootId":"b","metrics":[{"name":"cpu.utilization","value":NaN}]}]}'),
      ErrorCode.InvalidJson);
    expectRefused(agent(withMetric({ value: "NaN" })), ErrorCode.InvalidMessage, "records.0.metrics.0.value");
    expectRefused(agent(withMetric({ value: null })), ErrorCode.InvalidMessage, "records.0.metrics.0.value");
    expectRefused(agent(batch([health()], 1e300)), ErrorCode.InvalidMessage, "seq");
    expectRefused(agent(batch([health()], Number.MAX_SAFE_INTEGER + 2)), ErrorCode.InvalidMessage, "seq");
    expectRefused(agent({ ...hello(), lastSeq: 1e300 }), ErrorCode.InvalidMessage, "lastSeq");
    expectRefused(agent(batch([{ ...health(), ts: 1e300 }])), ErrorCode.InvalidMessage, "records.0.ts");
    expectRefused(agent(batch([{ ...spoolLoss(), droppedBytes: 1e300 }])), ErrorCode.InvalidMessage, "records.0.droppedBytes");
    // Big but finite values are fine for a gauge.
    expect(agent(withMetric({ value: 1.7e308 })).ok).toBe(true);
  });

  it("negative, zero, fractional or non-numeric seq", () => {
    for (const seq of [-1, 0, 1.5, "7", null, true]) {
      const r = agent(batch([health()], seq));
      expectRefused(r, ErrorCode.InvalidMessage, "seq");
      if (!r.ok) expect(r.seq).toBeUndefined();
    }
    const { seq: _seq, ...noSeq } = batch();
    expectRefused(agent(noSeq), ErrorCode.InvalidMessage, "seq");
  });

  it("timestamps before 2000, after 2200, fractional or in seconds", () => {
    expectRefused(agent(batch([{ ...health(), ts: 946_684_799_999 }])), ErrorCode.InvalidMessage, "records.0.ts");
    expectRefused(agent(batch([{ ...health(), ts: 1_767_261_600 }])), ErrorCode.InvalidMessage, "records.0.ts");
    expectRefused(agent(batch([{ ...health(), ts: 0 }])), ErrorCode.InvalidMessage, "before 2000");
    expectRefused(agent(batch([{ ...health(), ts: -T }])), ErrorCode.InvalidMessage, "records.0.ts");
    expectRefused(agent(batch([{ ...health(), ts: 7_258_118_400_001 }])), ErrorCode.InvalidMessage, "after 2200");
    expectRefused(agent(batch([{ ...health(), ts: T + 0.5 }])), ErrorCode.InvalidMessage, "records.0.ts");
    expectRefused(agent(batch([{ ...health(), ts: "2026-01-01T10:00:00Z" }])), ErrorCode.InvalidMessage, "records.0.ts");
    expectRefused(agent({ ...batch(), sentAt: 5 }), ErrorCode.InvalidMessage, "sentAt");
    expectRefused(agent({ ...hello(), startedAt: 946_684_799_999 }), ErrorCode.InvalidMessage, "startedAt");
    expect(agent(batch([{ ...health(), ts: 946_684_800_000 }])).ok).toBe(true);
  });

  it("metric names with uppercase, spaces or injection strings", () => {
    const bad = [
      "CPU.utilization",
      "cpu utilization",
      "x'); DROP TABLE metrics_raw; --",
      "cpu-utilization",
      "1cpu",
      ".cpu",
      "",
      "cpu\nutilization",
      "cpu.utilization\u0000",
      "{{name}}",
      "x".repeat(201),
      "ц",
    ];
    for (const name of bad) {
      expectRefused(agent(withMetric({ name })), ErrorCode.InvalidMessage, "records.0.metrics.0.name");
    }
    expect(agent(withMetric({ name: "x".repeat(200) })).ok).toBe(true);
  });

  it("label names and values", () => {
    const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, "v"]));
    expect(agent(withMetric({ labels: labels(MAX_LABELS) })).ok).toBe(true);
    expectRefused(agent(withMetric({ labels: labels(MAX_LABELS + 1) })), ErrorCode.InvalidMessage, "records.0.metrics.0.labels");
    expect(agent(withMetric({ labels: { mount: "v".repeat(MAX_LABEL_VALUE_LENGTH) } })).ok).toBe(true);
    expectRefused(
      agent(withMetric({ labels: { mount: "v".repeat(MAX_LABEL_VALUE_LENGTH + 1) } })),
      ErrorCode.InvalidMessage,
      "records.0.metrics.0.labels.mount",
    );
    expectRefused(agent(withMetric({ labels: { Mount: "/" } })), ErrorCode.InvalidMessage, "records.0.metrics.0.labels");
    expectRefused(agent(withMetric({ labels: { "a b": "/" } })), ErrorCode.InvalidMessage, "records.0.metrics.0.labels");
    expectRefused(agent(withMetric({ labels: { "x') --": "/" } })), ErrorCode.InvalidMessage, "records.0.metrics.0.labels");
    expectRefused(agent(withMetric({ labels: { mount: 1 } })), ErrorCode.InvalidMessage, "records.0.metrics.0.labels.mount");
    expectRefused(agent(withMetric({ labels: { mount: { nested: "/" } } })), ErrorCode.InvalidMessage, "labels.mount");
    expectRefused(agent(withMetric({ labels: ["/"] })), ErrorCode.InvalidMessage, "records.0.metrics.0.labels");
    // Hostile values are just strings: stored through query parameters, never interpreted.
    expect(agent(withMetric({ labels: { mount: "x'); DROP TABLE hosts; --" } })).ok).toBe(true);
  });

  it("frames over 1 MiB, counted in UTF-8 bytes", () => {
    const big = JSON.stringify({ ...hello(), pad: "x".repeat(MAX_FRAME_BYTES) });
    expectRefused(agent(big), ErrorCode.FrameTooLarge);
    expectRefused(collector(big), ErrorCode.FrameTooLarge);
    // 600,000 two-byte characters: under the limit in characters, over it in bytes.
    expectRefused(agent(JSON.stringify({ ...hello(), pad: "é".repeat(600_000) })), ErrorCode.FrameTooLarge);
    // Exactly at the limit is allowed (padding in an unknown field, which is ignored).
    const base = JSON.stringify({ ...hello(), pad: "" });
    const atLimit = JSON.stringify({ ...hello(), pad: "x".repeat(MAX_FRAME_BYTES - Buffer.byteLength(base)) });
    expect(Buffer.byteLength(atLimit)).toBe(MAX_FRAME_BYTES);
    expect(agent(atLimit).ok).toBe(true);
  });

  it("deeply nested junk", () => {
    const depth = 400_000;
    const nested = "[".repeat(depth) + "]".repeat(depth);
    const nestedObject = '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000);
    expectRefused(agent(nested), ErrorCode.InvalidMessage);
    expectRefused(agent(`{"type":${nested}}`), ErrorCode.UnknownType, "type");
    expectRefused(agent(`{"type":"hello","v":${nested}}`), ErrorCode.UnsupportedVersion, "v");
    expectRefused(agent(`{"type":${nestedObject}}`), ErrorCode.UnknownType, "type");
    expectRefused(agent(`{"type":"batch","v":1,"seq":1,"sentAt":${T},"records":${nested}}`), ErrorCode.InvalidMessage, "records.0");
    const labels = `{"type":"batch","v":1,"seq":1,"sentAt":${T},"records":[{"kind":"health","ts":${T},"bootId":"b",` +
      `"metrics":[{"name":"a","value":1,"labels":{"mount":${nestedObject}}}]}]}`;
    expectRefused(agent(labels), ErrorCode.InvalidMessage, "records.0.metrics.0.labels.mount");
    // Nesting in an unknown field is parsed and dropped.
    const ignored = agent(`{${JSON.stringify(hello()).slice(1, -1)},"junk":${nested}}`);
    expect(ignored.ok).toBe(true);
  });

  describe("prototype pollution", () => {
    afterEach(() => {
      for (const key of ["polluted", "isAdmin", "x"]) delete (Object.prototype as Record<string, unknown>)[key];
    });

    const clean = () => {
      const probe: Record<string, unknown> = {};
      expect(probe.polluted).toBeUndefined();
      expect(probe.isAdmin).toBeUndefined();
      expect(probe.x).toBeUndefined();
    };

    it("a top-level __proto__ key neither pollutes nor survives decoding", () => {
      const frame = JSON.stringify(hello()).replace(/^\{/, '{"__proto__":{"polluted":"yes","isAdmin":true},');
      const r = agent(frame);
      clean();
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(Object.getPrototypeOf(r.message)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(r.message, "__proto__")).toBe(false);
      expect((r.message as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it("__proto__, constructor and prototype inside records and labels", () => {
      const frames = [
        `{"type":"batch","v":1,"seq":1,"sentAt":${T},"records":[{"__proto__":{"polluted":1},` +
          `"kind":"health","ts":${T},"bootId":"b","metrics":[]}]}`,
        `{"type":"batch","v":1,"seq":1,"sentAt":${T},"records":[{"kind":"health","ts":${T},"bootId":"b",` +
          `"metrics":[{"name":"a","value":1,"labels":{"__proto__":{"polluted":"yes"},"mount":"/"}}]}]}`,
        `{"type":"batch","v":1,"seq":1,"sentAt":${T},"records":[{"kind":"health","ts":${T},"bootId":"b",` +
          `"metrics":[{"name":"a","value":1,"labels":{"constructor":{"prototype":{"polluted":"yes"}}}}]}]}`,
        `{"type":"welcome","v":1,"agentId":"a","storedSeq":0,"serverTime":${T},"accepts":[],` +
          `"config":{"__proto__":{"isAdmin":true},"checks":[{"__proto__":{"x":1},"id":"a","type":"ping","host":"h"}]}}`,
      ];
      for (const frame of frames) {
        const r = frame.includes('"welcome"') ? collector(frame) : agent(frame);
        clean();
        if (r.ok && r.message.type === "batch") {
          const record = r.message.records[0];
          expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
          if (record?.kind === "health") {
            for (const m of record.metrics) {
              if (m.labels) {
                expect(Object.getPrototypeOf(m.labels)).toBe(Object.prototype);
                expect(Object.keys(m.labels)).not.toContain("__proto__");
              }
            }
          }
        }
      }
      // A label called "constructor" whose value is not a string is refused like any other.
      const ctor = agent(frames[2]!);
      expectRefused(ctor, ErrorCode.InvalidMessage, "labels.constructor");
    });
  });

  it("empty records array", () => {
    expectRefused(agent(batch([])), ErrorCode.InvalidMessage, "records");
  });

  it("more than MAX_RECORDS_PER_BATCH records", () => {
    const small = { kind: "health", ts: T, bootId: "b", metrics: [] };
    expect(agent(batch(Array.from({ length: MAX_RECORDS_PER_BATCH }, () => small))).ok).toBe(true);
    const r = agent(batch(Array.from({ length: MAX_RECORDS_PER_BATCH + 1 }, () => small), 99));
    expectRefused(r, ErrorCode.InvalidMessage, "records");
    if (!r.ok) expect(r.seq).toBe(99);
  });

  it("more than MAX_METRICS_PER_RECORD metrics", () => {
    const metrics = (n: number) => Array.from({ length: n }, () => ({ name: "a", value: 1 }));
    expect(agent(batch([health(metrics(MAX_METRICS_PER_RECORD))])).ok).toBe(true);
    expectRefused(agent(batch([health(metrics(MAX_METRICS_PER_RECORD + 1))])), ErrorCode.InvalidMessage, "records.0.metrics");
  });

  it("inconsistent spool_loss ranges", () => {
    expectRefused(
      agent(batch([{ ...spoolLoss(), firstDroppedSeq: 12, lastDroppedSeq: 10 }])),
      ErrorCode.InvalidMessage,
      "records.0.lastDroppedSeq",
    );
    expectRefused(
      agent(batch([{ ...spoolLoss(), oldestTs: T, newestTs: T - 1 }])),
      ErrorCode.InvalidMessage,
      "records.0.newestTs",
    );
    expectRefused(agent(batch([{ ...spoolLoss(), droppedBatches: 0 }])), ErrorCode.InvalidMessage, "records.0.droppedBatches");
    const { oldestTs: _o, newestTs: _n, ...noSpan } = spoolLoss();
    expect(agent(batch([noSpan])).ok).toBe(true);
    expect(agent(batch([{ ...spoolLoss(), firstDroppedSeq: 5, lastDroppedSeq: 5 }])).ok).toBe(true);
  });

  it("over-long strings", () => {
    expectRefused(agent({ ...hello(), hostname: "h".repeat(254) }), ErrorCode.InvalidMessage, "hostname");
    expectRefused(agent({ ...hello(), agentVersion: "1".repeat(51) }), ErrorCode.InvalidMessage, "agentVersion");
    expectRefused(agent({ ...hello(), bootId: "b".repeat(101) }), ErrorCode.InvalidMessage, "bootId");
    expectRefused(agent(batch([{ ...check(), target: "t".repeat(2049) }])), ErrorCode.InvalidMessage, "records.0.target");
    expectRefused(agent(batch([{ ...check(), error: "e".repeat(1001) }])), ErrorCode.InvalidMessage, "records.0.error");
    expectRefused(agent({ type: "goodbye", v: 1, reason: "user", sentAt: T, message: "m".repeat(1001) }), ErrorCode.InvalidMessage, "message");
  });

  it("mutated messages never throw (seeded fuzz)", () => {
    let state = 0x9e3779b9;
    const rand = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 0x1_0000_0000;
    };
    const junk: unknown[] = [null, true, -1, 0, 1.5, 1e308, "", "x".repeat(300), [], {}, [[[]]], { __proto__: { a: 1 } }, "1"];
    const mutate = (value: unknown, depth: number): unknown => {
      if (rand() < 0.1 || depth > 6) return junk[Math.floor(rand() * junk.length)];
      if (Array.isArray(value)) return value.map((v) => mutate(v, depth + 1));
      if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (rand() > 0.05) out[k] = mutate(v, depth + 1);
        return out;
      }
      return value;
    };
    const seeds: Json[] = [hello(), batch([health(), check(), spoolLoss()]), { type: "goodbye", v: 1, reason: "user", sentAt: T }];
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const seed = seeds[i % seeds.length]!;
      const frame = JSON.stringify(mutate(seed, 0));
      const r = decodeAgentMessage(frame);
      expect(typeof r.ok).toBe("boolean");
      if (!r.ok) {
        refused++;
        expect(Object.values(ErrorCode)).toContain(r.code);
        expect(r.message.length).toBeLessThan(500);
      }
      expect(decodeCollectorMessage(frame).ok).toBe(false);
    }
    expect(refused).toBeGreaterThan(0);
  });
});
