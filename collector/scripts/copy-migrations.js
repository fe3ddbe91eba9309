// tsc does not copy non-TypeScript files; the migrations ship as SQL beside the compiled store.
import { cpSync } from "node:fs";
cpSync(new URL("../src/store/migrations", import.meta.url), new URL("../dist/store/migrations", import.meta.url), {
  recursive: true,
});
