import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/processes.js";
// @ts-expect-error plain ESM script without types
import { renderApiSchema } from "../../dashboard/scripts/api-schema.mjs";

describe("dashboard API types", () => {
  it("match the collector's OpenAPI document (run `npm run gen:api -w @vigil/dashboard` after changing a route)", async () => {
    const committed = readFileSync(path.join(ROOT, "dashboard/src/api/schema.d.ts"), "utf8");
    expect(committed === (await renderApiSchema()), "dashboard/src/api/schema.d.ts is stale").toBe(true);
  });
});
