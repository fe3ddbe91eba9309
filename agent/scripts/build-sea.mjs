// Builds vigil-agent as Node single-executable applications (SEA), so client machines need no Node.js:
// one file per target in dist/bin/ (vigil-agent-linux-x64, vigil-agent-win-x64.exe, ...).
//
//   node agent/scripts/build-sea.mjs [--targets LIST] [--out DIR]
//
// LIST is comma-separated: linux-x64, linux-arm64, win-x64, darwin-x64, darwin-arm64, or `host` (this
// machine's platform, built from the running node binary: no download). Default: every target this
// machine can build. Other targets take the official Node binary of the running Node version from the
// npm registry packages node-<os>-<arch> (fetched with `npm pack`, cached by npm).
//
// Node 20's SEA runs one CommonJS script, so the agent is bundled again as CommonJS from the same
// compiled entry (dist/cli.js) that scripts/bundle.mjs turns into dist/vigil-agent.mjs.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const AGENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = path.join(AGENT_DIR, "dist/cli.js");
// The fuse string Node looks for to know a blob was injected; fixed by Node's SEA implementation.
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const ALL_TARGETS = ["linux-x64", "linux-arm64", "win-x64", "darwin-x64", "darwin-arm64"];
// Optional native add-ons that dependencies try to load inside try/catch (ws, systeminformation). A SEA
// cannot load them anyway, and asking its require() for one prints a warning on every start.
const OPTIONAL_NATIVE = /^(bufferutil|utf-8-validate|osx-temperature-sensor|macos-temperature-sensor)$/;

/** Raised for a problem the user can fix; printed without a stack. */
class BuildError extends Error {}

const hostTarget = `${process.platform === "win32" ? "win" : process.platform}-${process.arch}`;

function parseTargets(list) {
  if (!list) {
    // macOS binaries must be re-signed after injection, which only macOS's codesign can do.
    return ALL_TARGETS.filter((t) => !t.startsWith("darwin") || process.platform === "darwin").filter((t) => t !== "darwin-arm64" || hostTarget === "darwin-arm64");
  }
  return list.split(",").map((t) => t.trim()).filter(Boolean).map((t) => {
    if (t === "host") return "host";
    if (!ALL_TARGETS.includes(t)) throw new BuildError(`unknown target "${t}"; choose from host, ${ALL_TARGETS.join(", ")}`);
    return t;
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.error) throw new BuildError(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new BuildError(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Bundles the agent as one CommonJS script, the only form Node 20 can embed. */
async function bundleCommonJs(file) {
  if (!existsSync(ENTRY)) throw new BuildError(`${ENTRY} is missing: build the agent first (npx turbo run build)`);
  const { version } = JSON.parse(readFileSync(path.join(AGENT_DIR, "package.json"), "utf8"));
  await build({
    entryPoints: [ENTRY],
    outfile: file,
    bundle: true,
    minify: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // CommonJS has no import.meta; inside a SEA the module's file is the executable itself.
    define: { __VIGIL_AGENT_VERSION__: JSON.stringify(version), "import.meta.url": "__vigilModuleUrl" },
    banner: { js: 'var __vigilModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: "error",
    plugins: [
      {
        name: "absent-optional-native",
        setup(b) {
          b.onResolve({ filter: OPTIONAL_NATIVE }, (args) => ({ path: args.path, namespace: "absent" }));
          b.onLoad({ filter: /.*/, namespace: "absent" }, (args) => ({
            contents: `const e = new Error("Cannot find module '${args.path}'"); e.code = "MODULE_NOT_FOUND"; throw e;`,
            loader: "js",
          }));
        },
      },
    ],
  });
  // The embedded script is compiled as a function body, where a shebang line is a syntax error.
  writeFileSync(file, readFileSync(file, "utf8").replace(/^#!.*\n/, ""));
  return version;
}

/** Asks the running node to turn the script into a SEA preparation blob (portable: no code cache). */
function prepareBlob(work, script) {
  const blob = path.join(work, "sea-prep.blob");
  const config = path.join(work, "sea-config.json");
  writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false }));
  run(process.execPath, ["--experimental-sea-config", config]);
  return blob;
}

/** The Node binary for a target: the running one for `host`, else the registry package of this Node version. */
function nodeBinary(target, work) {
  if (target === "host") return process.execPath;
  const version = process.versions.node;
  const pkg = `node-${target}@${version}`;
  const dir = mkdtempSync(path.join(work, `${target}-`));
  console.log(`  fetching ${pkg} from the npm registry ...`);
  const r = spawnSync("npm", ["pack", pkg, "--silent", "--pack-destination", dir], { encoding: "utf8", shell: process.platform === "win32" });
  if (r.status !== 0) {
    // The SEA blob only fits a binary of exactly the Node version that produced it.
    throw new BuildError(
      `could not fetch ${pkg} (${(r.stderr || "").trim().split("\n").pop()}). The blob must be injected into the same Node version ` +
        `that built it (${version}); see which versions exist with \`npm view node-${target} versions\` and build with one of them. ` +
        `A network error is temporary: retrying helps.`,
    );
  }
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new BuildError(`npm pack ${pkg} produced no tarball`);
  run("tar", ["-xzf", path.join(dir, tarball), "-C", dir]);
  for (const candidate of ["package/bin/node", "package/bin/node.exe", "package/node.exe"]) {
    const file = path.join(dir, candidate);
    if (existsSync(file)) return file;
  }
  throw new BuildError(`${pkg} holds no node binary where expected (package/bin/node)`);
}

/** Copies the node binary, injects the blob, re-signs on macOS; writes atomically into `outFile`. */
function makeExecutable(target, blob, work, outFile) {
  const os = target === "host" ? hostTarget.split("-")[0] : target.split("-")[0];
  if (os === "darwin" && process.platform !== "darwin") {
    throw new BuildError(`${target}: macOS binaries must be re-signed after injection (codesign), which only runs on macOS; build this target on a Mac`);
  }
  const source = nodeBinary(target, work);
  const tmp = `${outFile}.tmp-${process.pid}`;
  copyFileSync(source, tmp);
  chmodSync(tmp, 0o755);
  try {
    if (os === "darwin") run("codesign", ["--remove-signature", tmp]);
    // postject's CLI in a child: its ELF writer prints harmless LIEF warnings that would bury real errors.
    const cli = path.join(path.dirname(require.resolve("postject")), "cli.js");
    run(process.execPath, [cli, tmp, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE, ...(os === "darwin" ? ["--macho-segment-name", "NODE_SEA"] : [])]);
    if (os === "darwin") run("codesign", ["--sign", "-", tmp]);
    renameSync(tmp, outFile);
  } finally {
    rmSync(tmp, { force: true });
  }
}

async function main() {
  const { values } = parseArgs({ options: { targets: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log("Usage: node agent/scripts/build-sea.mjs [--targets host|linux-x64,linux-arm64,win-x64,darwin-x64,darwin-arm64] [--out DIR]");
    return;
  }
  if (Number(process.versions.node.split(".")[0]) < 20) throw new BuildError(`Node ${process.version} cannot build single executables; use Node 20 or newer`);
  const targets = parseTargets(values.targets);
  const outDir = path.resolve(values.out ?? path.join(AGENT_DIR, "dist/bin"));
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), "vigil-sea-"));
  try {
    const script = path.join(work, "vigil-agent.cjs");
    const version = await bundleCommonJs(script);
    const blob = prepareBlob(work, script);
    console.log(`vigil-agent ${version}: single executables on Node ${process.version} into ${outDir}`);
    for (const target of targets) {
      const name = target === "host" ? hostTarget : target;
      const outFile = path.join(outDir, `vigil-agent-${name}${name.startsWith("win") ? ".exe" : ""}`);
      makeExecutable(target, blob, work, outFile);
      if (name === hostTarget) {
        // The one binary this machine can run: make sure it really starts, and never leave a broken one.
        try {
          const printed = run(outFile, ["--version"]).trim();
          if (printed !== version) throw new BuildError(`${outFile} --version printed "${printed}", expected ${version}`);
        } catch (err) {
          rmSync(outFile, { force: true });
          throw err;
        }
      }
      console.log(`  ${path.basename(outFile)}  ${(statSync(outFile).size / 1048576).toFixed(1)} MB`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`build-sea: ${err instanceof BuildError ? err.message : err.stack}`);
  process.exit(1);
});
