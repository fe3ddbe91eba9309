import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";

// Serves the dashboard's static build at `/`. Mounted after every other route: the SPA routes its own
// paths, so any other GET for a page answers index.html.

/**
 * Headers for every dashboard response. The CSP allows only this origin's scripts; uPlot positions its
 * elements with style attributes, hence 'unsafe-inline' for styles only. No referrer: ack links carry tokens.
 */
const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

/** Routes serving the dashboard from `dir` (its Vite build). Without a build, `/` says how to make one. */
export function dashboardRoutes(dir: string): Hono {
  const app = new Hono();
  const indexFile = path.join(dir, "index.html");
  app.use("*", async (c, next) => {
    await next();
    if (!c.req.path.startsWith("/api/")) for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  });
  // Hashed file names never change content, so browsers may keep them for good.
  app.use(
    "/assets/*",
    serveStatic({ root: dir, onFound: (_path, c) => c.header("Cache-Control", "public, max-age=31536000, immutable") }),
  );
  app.get("*", async (c, next) => {
    if (c.req.path.startsWith("/api/") || c.req.path.startsWith("/assets/")) return next();
    if (!existsSync(indexFile)) return c.text("The dashboard is not built: run `npm run build` in the repository.\n", 503);
    c.header("Cache-Control", "no-cache");
    return c.html(await readFile(indexFile, "utf8"));
  });
  return app;
}
