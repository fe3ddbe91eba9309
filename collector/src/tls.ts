import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { ConfigError, type TlsConfig } from "./config.js";

/** Certificate chain and private key, PEM, as the https server takes them. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/**
 * Reads the certificate and key for native HTTPS/WSS and checks that they belong together, so a bad
 * file stops the start-up with its name instead of failing every TLS handshake later.
 */
export function loadTlsMaterial(tls: TlsConfig): TlsMaterial {
  const cert = readPem(tls.certFile, "VIGIL_TLS_CERT");
  const key = readPem(tls.keyFile, "VIGIL_TLS_KEY");
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new ConfigError(`VIGIL_TLS_CERT ${tls.certFile} and VIGIL_TLS_KEY ${tls.keyFile} do not make a usable pair: ${(err as Error).message}`);
  }
  return { cert, key };
}

function readPem(file: string, variable: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); it must be a PEM file readable by the collector's user`);
  }
}
