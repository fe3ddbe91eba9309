/**
 * Names of the health metrics an agent reports. Units are in the name's suffix:
 * `_pct` percent 0–100, `_bytes` bytes, `_bps` bytes per second, `_seconds`, `_celsius`; no suffix = count or ratio.
 */
export const MetricName = {
  cpuUtilization: "cpu.utilization",
  cpuCoreUtilization: "cpu.core.utilization",
  cpuTemperature: "cpu.temperature_celsius",
  load1: "load.1m",
  load5: "load.5m",
  load15: "load.15m",
  memoryTotal: "memory.total_bytes",
  memoryUsed: "memory.used_bytes",
  memoryAvailable: "memory.available_bytes",
  memoryUsedPct: "memory.used_pct",
  swapTotal: "swap.total_bytes",
  swapUsed: "swap.used_bytes",
  swapUsedPct: "swap.used_pct",
  fsSize: "fs.size_bytes",
  fsUsed: "fs.used_bytes",
  fsUsedPct: "fs.used_pct",
  netRx: "net.rx_bps",
  netTx: "net.tx_bps",
  diskReadBps: "disk.read_bps",
  diskWriteBps: "disk.write_bps",
  diskReadOps: "disk.read_iops",
  diskWriteOps: "disk.write_iops",
  uptime: "host.uptime_seconds",
  processCount: "host.processes",
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];
