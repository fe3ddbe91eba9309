import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { Hono } from "hono";
import { errorResponse } from "../errors.js";
import { installScript } from "./scripts.js";
import { resolveDownload, sha256Of, statDownload } from "./downloads.js";

/** What the install routes need: the URL agents use, and where the built agent files are. */
export interface InstallDeps {
  publicUrl: string;
  downloadsDir: string;
}

/**
 * `GET /install.sh`, `GET /install.ps1` and `GET /downloads/<file>[.sha256]`: everything a technician's
 * one-liner fetches to install an agent. Public on purpose: none of it is secret, the enrollment token
 * is what authorises a machine.
 */
export function installRoutes(deps: InstallDeps): Hono {
  const app = new Hono();
  app.get("/install.sh", (c) => c.body(installScript("install.sh", deps.publicUrl), 200, { "Content-Type": "text/x-shellscript; charset=utf-8", "Cache-Control": "no-store" }));
  app.get("/install.ps1", (c) => c.body(installScript("install.ps1", deps.publicUrl), 200, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" }));
  app.get("/downloads/:name", async (c) => {
    const requested = c.req.param("name");
    const checksum = requested.endsWith(".sha256");
    const download = resolveDownload(checksum ? requested.slice(0, -".sha256".length) : requested, deps.downloadsDir);
    if (!download) return errorResponse(c, 404, "not_found", `no download named ${requested}`);
    const stats = statDownload(download);
    if (!stats) {
      const hint = download.name.startsWith("vigil-agent-")
        ? "; single executables are built with `npm run build:agent-bin` on the collector (vigil-agent.mjs works on machines with Node.js 20 or newer)"
        : "";
      return errorResponse(c, 404, "not_found", `${download.name} is not available on this collector${hint}`);
    }
    if (checksum) return c.text(`${await sha256Of(download, stats)}  ${download.name}\n`);
    const body = Readable.toWeb(createReadStream(download.file)) as unknown as ReadableStream;
    return c.body(body, 200, {
      "Content-Type": download.contentType,
      "Content-Length": String(stats.size),
      "Content-Disposition": `attachment; filename="${download.name}"`,
      "Last-Modified": stats.mtime.toUTCString(),
    });
  });
  return app;
}
