import { readFileSync } from "node:fs";

// Set by the bundler (scripts/bundle.mjs); a bundle has no package.json beside it.
declare const __VIGIL_AGENT_VERSION__: string | undefined;

/** This agent's version. */
export const AGENT_VERSION: string =
  typeof __VIGIL_AGENT_VERSION__ === "string"
    ? __VIGIL_AGENT_VERSION__
    : (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
