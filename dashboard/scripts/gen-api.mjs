#!/usr/bin/env node
// Writes src/api/schema.d.ts from the collector's OpenAPI document, so the dashboard is typed from the
// collector's zod schemas. Run after changing an API route: `npm run build -w @vigil/collector && npm run gen:api -w @vigil/dashboard`.
// A test (test/browser/api-schema.test.ts) fails when the committed file is stale.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderApiSchema } from "./api-schema.mjs";

const out = fileURLToPath(new URL("../src/api/schema.d.ts", import.meta.url));
writeFileSync(out, await renderApiSchema());
console.log(`wrote ${out}`);
