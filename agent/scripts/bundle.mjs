// Bundles the agent into one minified file, dist/vigil-agent.mjs: what gets installed on client
// machines. One file loads with far less memory than hundreds of modules (about 55 MB RSS against 69).
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
await build({
  entryPoints: [new URL("../dist/cli.js", import.meta.url).pathname],
  outfile: new URL("../dist/vigil-agent.mjs", import.meta.url).pathname,
  bundle: true,
  minify: true,
  platform: "node",
  format: "esm",
  target: "node20",
  define: { __VIGIL_AGENT_VERSION__: JSON.stringify(version) },
  // Some dependencies still call require(); give the ESM bundle one. (The entry keeps its own shebang.)
  banner: { js: "import { createRequire as __vigilRequire } from 'node:module'; const require = __vigilRequire(import.meta.url);" },
  logLevel: "warning",
});
