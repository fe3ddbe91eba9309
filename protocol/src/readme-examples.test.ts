import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CloseCode } from "./close-codes.js";
import { decodeAgentMessage, decodeCollectorMessage } from "./codec.js";
import { AgentConfig, CheckSpec } from "./config.js";
import { EnrollRequest, EnrollResponse } from "./enrollment.js";
import { ErrorCode } from "./errors.js";
import { InventoryDocument, decodeInventoryDocument } from "./inventory.js";
import * as limits from "./limits.js";
import { GoodbyeReason } from "./messages.js";
import { MetricName } from "./metric-names.js";
import { AgentRecord, InventoryRecord, RECORD_KINDS } from "./records.js";
import { PROTOCOL_VERSION } from "./version.js";

// The README is the wire specification; these tests keep it from drifting away from the schemas.
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

const AGENT_TYPES = ["hello", "batch", "goodbye"];
const COLLECTOR_TYPES = ["welcome", "ack", "error", "config"];

interface Example {
  line: number;
  text: string;
  value: unknown;
}

function jsonBlocks(): Example[] {
  const blocks: Example[] = [];
  for (const match of readme.matchAll(/^```json\n([\s\S]*?)^```/gm)) {
    const line = readme.slice(0, match.index).split("\n").length;
    const text = match[1]!;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`README.md line ${line}: json block is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    blocks.push({ line, text, value });
  }
  return blocks;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isMessage = (v: unknown): v is Record<string, unknown> =>
  isObject(v) && typeof v.type === "string" && [...AGENT_TYPES, ...COLLECTOR_TYPES].includes(v.type);

/** Table rows of the README whose first cell is `cell` (with or without backticks). */
function row(cell: string | number): string | undefined {
  const escaped = String(cell).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return readme.match(new RegExp(`^\\| \`?${escaped}\`? \\|.*$`, "m"))?.[0];
}

describe("README json examples", () => {
  const blocks = jsonBlocks();

  it("has examples", () => {
    expect(blocks.length).toBeGreaterThan(10);
  });

  it("every message example decodes with the codec", () => {
    const seen = new Set<string>();
    for (const { line, text, value } of blocks) {
      if (!isMessage(value)) continue;
      const type = value.type as string;
      seen.add(type);
      const result = AGENT_TYPES.includes(type) ? decodeAgentMessage(text) : decodeCollectorMessage(text);
      expect(result.ok ? "ok" : `README.md line ${line}: ${result.code}: ${result.message}`).toBe("ok");
      expect(value.v, `README.md line ${line}`).toBe(PROTOCOL_VERSION);
    }
    expect([...seen].sort()).toEqual([...AGENT_TYPES, ...COLLECTOR_TYPES].sort());
  });

  it("every other example is a record, an enrollment body, an error body or a configuration, and valid", () => {
    const kinds = new Set<string>();
    for (const { line, value } of blocks) {
      if (isMessage(value)) continue;
      const where = `README.md line ${line}`;
      expect(isObject(value), where).toBe(true);
      if (!isObject(value)) continue;
      let result: { success: boolean; error?: unknown };
      if ("schema" in value && "collectedAt" in value) {
        result = InventoryDocument.safeParse(value);
      } else if ("kind" in value) {
        result = AgentRecord.safeParse(value);
        kinds.add(String(value.kind));
      } else if ("agentToken" in value) {
        result = EnrollResponse.safeParse(value);
      } else if ("token" in value) {
        result = EnrollRequest.safeParse(value);
      } else if ("error" in value) {
        const error = value.error as Record<string, unknown>;
        result = {
          success:
            Object.keys(value).length === 1 &&
            isObject(error) &&
            (Object.values(ErrorCode) as string[]).includes(error.code as string) &&
            typeof error.message === "string",
        };
      } else if ("type" in value) {
        result = CheckSpec.safeParse(value);
      } else {
        result = AgentConfig.safeParse(value);
      }
      expect(result.success ? "valid" : `${where}: ${JSON.stringify(result.error ?? "invalid")}`).toBe("valid");
    }
    // Every record kind also appears inside a batch example; standalone examples cover them too.
    expect([...kinds].sort()).toEqual([...RECORD_KINDS].sort());
  });

  it("the inventory record example decodes to the inventory document example", () => {
    const record = blocks.map((b) => b.value).find((v) => isObject(v) && v.kind === "inventory");
    const document = blocks.map((b) => b.value).find((v) => isObject(v) && "schema" in v && "collectedAt" in v);
    expect(record).toBeDefined();
    expect(document).toBeDefined();
    const decoded = decodeInventoryDocument([InventoryRecord.parse(record)]);
    expect(decoded.ok ? decoded.document : decoded.message).toEqual(InventoryDocument.parse(document));
    expect((record as { ts: number }).ts).toBe((document as { collectedAt: number }).collectedAt);
  });

  it("the batch example carries every record kind", () => {
    const kinds = new Set<string>();
    for (const { value } of blocks) {
      if (isMessage(value) && value.type === "batch" && Array.isArray(value.records)) {
        for (const r of value.records) if (isObject(r)) kinds.add(String(r.kind));
      }
    }
    for (const kind of ["health", "check"]) expect(kinds).toContain(kind);
  });
});

describe("README tables match the code", () => {
  it("limits", () => {
    for (const [name, value] of Object.entries(limits)) {
      const r = row(name);
      expect(r, `limits table row for ${name}`).toBeDefined();
      expect(r).toContain(typeof value === "number" ? `| ${value} |` : `| \`${value}\` |`);
    }
  });

  it("close codes", () => {
    for (const [name, code] of Object.entries(CloseCode)) {
      const r = row(code);
      expect(r, `close code table row for ${code}`).toBeDefined();
      expect(r).toContain(`\`${name}\``);
    }
  });

  it("error codes", () => {
    for (const code of Object.values(ErrorCode)) expect(row(code), `error code table row for ${code}`).toBeDefined();
  });

  it("goodbye reasons", () => {
    for (const reason of GoodbyeReason.options) expect(row(reason), `goodbye reason row for ${reason}`).toBeDefined();
  });

  it("health metric names", () => {
    const names = Object.values(MetricName);
    for (const name of names) expect(row(name), `metric table row for ${name}`).toBeDefined();
    // No metric documented that the code does not define.
    const section = readme.slice(readme.indexOf("## 14. Health metric names"), readme.indexOf("## 15."));
    const documented = [...section.matchAll(/^\| `([a-z][a-z0-9_.]*)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...names].sort());
  });
});
