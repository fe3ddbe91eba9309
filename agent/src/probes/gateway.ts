import { readFile } from "node:fs/promises";

// Flags from linux/route.h: the route is up, and it goes through a gateway.
const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;

/**
 * The IPv4 default gateway of this host, or null when there is none.
 * Linux only (read from /proc/net/route without spawning `ip`); other platforms answer null.
 */
export async function defaultGateway(): Promise<string | null> {
  if (process.platform !== "linux") return null;
  try {
    return parseProcNetRoute(await readFile("/proc/net/route", "utf8"));
  } catch {
    return null;
  }
}

/** The gateway of the lowest-metric IPv4 default route in the text of /proc/net/route, or null. */
export function parseProcNetRoute(text: string): string | null {
  let best: string | null = null;
  let bestMetric = Infinity;
  const lines = text.split("\n");
  // The first line is the column header.
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [, destination, gatewayHex, flagsHex, , , metricText, mask] = f;
    if (destination !== "00000000" || mask !== "00000000") continue;
    const flags = parseInt(flagsHex!, 16);
    // A default route straight out of a device (VPN, point-to-point) has no gateway to ping.
    if ((flags & RTF_UP) === 0 || (flags & RTF_GATEWAY) === 0) continue;
    const gateway = hexToIPv4(gatewayHex!);
    const metric = Number(metricText);
    if (gateway === null || !Number.isFinite(metric)) continue;
    if (metric < bestMetric) {
      best = gateway;
      bestMetric = metric;
    }
  }
  return best;
}

function hexToIPv4(hex: string): string | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex) || /^0+$/.test(hex)) return null;
  // The kernel prints the address in host byte order, little-endian on every platform Vigil runs on.
  const n = parseInt(hex, 16);
  return `${n & 0xff}.${(n >>> 8) & 0xff}.${(n >>> 16) & 0xff}.${n >>> 24}`;
}
