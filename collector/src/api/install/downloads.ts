import { createHash } from "node:crypto";
import { createReadStream, statSync, type Stats } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Install scripts, service definitions and their templates, in this repository's deploy/agent. */
export const DEPLOY_AGENT_DIR = fileURLToPath(new URL("../../../../deploy/agent/", import.meta.url));

/** A file that can be downloaded from the collector. */
export interface Download {
  name: string;
  file: string;
  contentType: string;
}

// Single executables per target, built by `npm run build:agent-bin`.
const BINARY = /^vigil-agent-(linux-(x64|arm64)|darwin-(x64|arm64)|win-x64\.exe)$/;

/**
 * Maps a requested name to a file, from a fixed list only: names are never joined into paths as given,
 * so no request can reach outside the download directories.
 */
export function resolveDownload(name: string, downloadsDir: string): Download | undefined {
  if (BINARY.test(name)) return { name, file: path.join(downloadsDir, "bin", name), contentType: "application/octet-stream" };
  switch (name) {
    case "vigil-agent.mjs":
      // The bundled agent for machines that have Node.js 20 or newer (any architecture).
      return { name, file: path.join(downloadsDir, "vigil-agent.mjs"), contentType: "text/javascript; charset=utf-8" };
    case "vigil-agent.service":
    case "com.vigil.agent.plist":
      return { name, file: path.join(DEPLOY_AGENT_DIR, name), contentType: "text/plain; charset=utf-8" };
    default:
      return undefined;
  }
}

/** The file's size and modification time, or undefined when it is not there (not built yet). */
export function statDownload(d: Download): Stats | undefined {
  try {
    const s = statSync(d.file);
    return s.isFile() ? s : undefined;
  } catch {
    return undefined;
  }
}

const digests = new Map<string, { key: string; digest: Promise<string> }>();

/** SHA-256 of a download, hex; computed once per file version (binaries are about 100 MB). */
export function sha256Of(d: Download, stats: Stats): Promise<string> {
  const key = `${stats.size}:${stats.mtimeMs}`;
  const cached = digests.get(d.file);
  if (cached?.key === key) return cached.digest;
  const digest = new Promise<string>((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(d.file)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });
  digests.set(d.file, { key, digest });
  digest.catch(() => digests.delete(d.file));
  return digest;
}
