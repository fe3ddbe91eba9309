import { ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { HealthRecord, MetricName, type Metric } from "@vigil/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBootId } from "./boot.js";
import { createHealthProbe, findCpuTemperatureFile, parseMounts, type HealthProbe } from "./health.js";

const linux = process.platform === "linux";

function series(record: HealthRecord, name: string, labels?: Record<string, string>): Metric[] {
  return record.metrics.filter(
    (m) => m.name === name && Object.entries(labels ?? {}).every(([k, v]) => m.labels?.[k] === v),
  );
}

function value(record: HealthRecord, name: string, labels?: Record<string, string>): number {
  const found = series(record, name, labels);
  expect(found, `${name} ${JSON.stringify(labels ?? {})}`).toHaveLength(1);
  return found[0]!.value;
}

/** Sends `bytes` through a TCP connection over the loopback interface and waits until all arrived. */
async function pushThroughLoopback(bytes: number): Promise<void> {
  let received = 0;
  const server = net.createServer();
  const done = new Promise<void>((resolve) => {
    server.on("connection", (socket) => {
      socket.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received >= bytes) resolve();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const client = net.connect(port, "127.0.0.1");
  client.end(Buffer.alloc(bytes, 1));
  await done;
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
}

describe("createHealthProbe on this machine", () => {
  let probe: HealthProbe;
  let first: HealthRecord;
  let spawned = 0;
  // ChildProcess#spawn is undocumented, but every exec, execFile and spawn goes through it.
  const proto = ChildProcess.prototype as unknown as { spawn(...args: unknown[]): unknown };
  const originalSpawn = proto.spawn;

  beforeAll(async () => {
    proto.spawn = function (this: ChildProcess, ...args: unknown[]) {
      spawned++;
      return originalSpawn.apply(this, args);
    };
    probe = createHealthProbe();
    first = await probe.sample();
  });

  afterAll(() => {
    proto.spawn = originalSpawn;
  });

  it("produces a record the collector accepts, stamped with the boot id", () => {
    expect(HealthRecord.parse(first)).toEqual(first);
    expect(first.kind).toBe("health");
    expect(first.bootId).toBe(readBootId());
  });

  it("reports real CPU figures on the first sample, total and per core", () => {
    const total = value(first, MetricName.cpuUtilization);
    expect(total).toBeGreaterThanOrEqual(0);
    expect(total).toBeLessThanOrEqual(100);
    os.cpus().forEach((_, core) => {
      const pct = value(first, MetricName.cpuCoreUtilization, { core: String(core) });
      expect(pct).toBeGreaterThanOrEqual(0);
      expect(pct).toBeLessThanOrEqual(100);
    });
    expect(series(first, MetricName.cpuCoreUtilization)).toHaveLength(os.cpus().length);
  });

  it("reports memory whose percentage matches its byte counts", () => {
    const total = value(first, MetricName.memoryTotal);
    const used = value(first, MetricName.memoryUsed);
    const available = value(first, MetricName.memoryAvailable);
    expect(total).toBeGreaterThan(0);
    expect(used + available).toBe(total);
    expect(value(first, MetricName.memoryUsedPct)).toBeCloseTo((used / total) * 100, 1);
    const swapTotal = value(first, MetricName.swapTotal);
    const swapUsed = value(first, MetricName.swapUsed);
    expect(swapUsed).toBeLessThanOrEqual(swapTotal);
    expect(value(first, MetricName.swapUsedPct)).toBeCloseTo(swapTotal > 0 ? (swapUsed / swapTotal) * 100 : 0, 1);
  });

  it("reports the root filesystem and no pseudo filesystems", () => {
    const size = value(first, MetricName.fsSize, { mount: "/" });
    const used = value(first, MetricName.fsUsed, { mount: "/" });
    const pct = value(first, MetricName.fsUsedPct, { mount: "/" });
    expect(size).toBeGreaterThan(0);
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(size);
    expect(pct).toBeGreaterThan(0);
    expect(pct).toBeLessThanOrEqual(100);
    const root = series(first, MetricName.fsSize, { mount: "/" })[0]!;
    expect(root.labels?.device).toBeTruthy();
    expect(root.labels?.fstype).toBeTruthy();
    const fstypes = series(first, MetricName.fsSize).map((m) => m.labels?.fstype);
    for (const pseudo of ["proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "cgroup", "cgroup2"]) {
      expect(fstypes).not.toContain(pseudo);
    }
  });

  it("reports disk I/O for whole disks only", () => {
    for (const m of series(first, MetricName.diskReadBps)) {
      expect(m.labels?.device).not.toMatch(/^(loop|ram|zram)/);
      expect(m.value).toBeGreaterThanOrEqual(0);
    }
  });

  it("reports load, uptime and the number of processes", () => {
    expect(value(first, MetricName.load1)).toBeGreaterThanOrEqual(0);
    expect(value(first, MetricName.load15)).toBeGreaterThanOrEqual(0);
    expect(value(first, MetricName.uptime)).toBeGreaterThan(0);
    if (linux) expect(value(first, MetricName.processCount)).toBeGreaterThan(1);
  });

  it.runIf(linux)("reports CPU temperature exactly when the host has a sensor", () => {
    const sensor = findCpuTemperatureFile("/sys");
    expect(series(first, MetricName.cpuTemperature)).toHaveLength(sensor === null ? 0 : 1);
  });

  it("shows loopback traffic pushed between two samples as a receive rate on lo", async () => {
    const bytes = 8 * 1024 * 1024;
    const before = performance.now();
    const quiet = await probe.sample();
    await pushThroughLoopback(bytes);
    const busy = await probe.sample();
    const outerSeconds = (performance.now() - before) / 1000;
    const loIface = linux ? "lo" : os.platform() === "darwin" ? "lo0" : "lo";
    const rx = value(busy, MetricName.netRx, { iface: loIface });
    // The probe's interval lies inside the time measured here, so its rate can only be higher.
    expect(rx).toBeGreaterThanOrEqual(bytes / outerSeconds);
    expect(rx).toBeGreaterThan(value(quiet, MetricName.netRx, { iface: loIface }));
    expect(value(busy, MetricName.netTx, { iface: loIface })).toBeGreaterThanOrEqual(bytes / outerSeconds);
    expect(busy.bootId).toBe(first.bootId);
  });

  it("gives each of two overlapping calls its own CPU figures", async () => {
    const [a, b] = await Promise.all([probe.sample(), probe.sample()]);
    expect(b.ts).toBeGreaterThanOrEqual(a.ts);
    expect(series(a, MetricName.cpuUtilization)).toHaveLength(1);
    expect(series(b, MetricName.cpuUtilization)).toHaveLength(1);
    expect(HealthRecord.safeParse(b).success).toBe(true);
  });

  it.runIf(linux)("started no child process for any of the samples above, on Linux", async () => {
    expect(spawned).toBe(0);
    // The counter itself works: a real child is seen.
    await new Promise((resolve) => spawn(process.execPath, ["-e", ""]).on("exit", resolve));
    expect(spawned).toBe(1);
  });
});

describe("parseMounts", () => {
  it("keeps real filesystems once each and drops pseudo, network and container-layer mounts", () => {
    const text = [
      "proc /proc proc rw,nosuid 0 0",
      "sysfs /sys sysfs rw 0 0",
      "tmpfs /run tmpfs rw 0 0",
      "/dev/sda2 / ext4 rw,relatime 0 0",
      "/dev/sda1 /boot/efi vfat rw 0 0",
      "/dev/sda2 /var/lib/kubelet/pods/x/volumes ext4 rw 0 0",
      "/dev/sdb1 /srv/My\\040Files xfs rw 0 0",
      "tank/home /home zfs rw 0 0",
      "overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0",
      "/dev/loop3 /snap/core/1 squashfs ro 0 0",
      "server:/export /mnt/nfs nfs4 rw 0 0",
      "sshfs#me@host: /mnt/ssh fuse.sshfs rw 0 0",
      "/dev/sdc1 /media/usb fuseblk rw 0 0",
      "",
    ].join("\n");
    expect(parseMounts(text)).toEqual([
      { device: "/dev/sda2", mount: "/", fstype: "ext4" },
      { device: "/dev/sda1", mount: "/boot/efi", fstype: "vfat" },
      { device: "/dev/sdb1", mount: "/srv/My Files", fstype: "xfs" },
      { device: "tank/home", mount: "/home", fstype: "zfs" },
      { device: "/dev/sdc1", mount: "/media/usb", fstype: "fuseblk" },
    ]);
  });

  it("keeps the overlay that is a container's own root", () => {
    const text = "overlay / overlay rw,lowerdir=/a,upperdir=/b 0 0\n/dev/vda /etc/hosts ext4 rw 0 0\n";
    expect(parseMounts(text)).toContainEqual({ device: "overlay", mount: "/", fstype: "overlay" });
  });
});

describe("findCpuTemperatureFile", () => {
  let sys: string;

  beforeAll(() => {
    sys = mkdtempSync(path.join(os.tmpdir(), "vigil-sys-"));
  });

  afterAll(() => {
    rmSync(sys, { recursive: true, force: true });
  });

  function put(file: string, text: string): void {
    mkdirSync(path.dirname(path.join(sys, file)), { recursive: true });
    writeFileSync(path.join(sys, file), text);
  }

  it("answers null when the host exposes no sensor", () => {
    expect(findCpuTemperatureFile(sys)).toBeNull();
  });

  it("prefers the CPU zone among thermal zones", () => {
    put("class/thermal/thermal_zone0/type", "acpitz\n");
    put("class/thermal/thermal_zone0/temp", "27800\n");
    expect(findCpuTemperatureFile(sys)).toBeNull();
    put("class/thermal/thermal_zone1/type", "x86_pkg_temp\n");
    put("class/thermal/thermal_zone1/temp", "51000\n");
    expect(findCpuTemperatureFile(sys)).toBe(path.join(sys, "class/thermal/thermal_zone1/temp"));
  });

  it("prefers the CPU package sensor from hwmon over any thermal zone", () => {
    put("class/hwmon/hwmon0/name", "nvme\n");
    put("class/hwmon/hwmon0/temp1_input", "38000\n");
    put("class/hwmon/hwmon1/name", "coretemp\n");
    put("class/hwmon/hwmon1/temp2_input", "47000\n");
    put("class/hwmon/hwmon1/temp1_input", "49000\n");
    expect(findCpuTemperatureFile(sys)).toBe(path.join(sys, "class/hwmon/hwmon1/temp1_input"));
  });
});
