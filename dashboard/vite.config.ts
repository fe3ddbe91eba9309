import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Built to dist/, which the collector serves at /. In development, `npm run dev -w @vigil/dashboard`
// proxies the API to a collector on VIGIL_URL (default http://127.0.0.1:8080).
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { "/api": process.env.VIGIL_URL ?? "http://127.0.0.1:8080" } },
});
