import { describe, expect, it } from "vitest";
import { fromPortable, parseServiceStatusAll, parseSystemctl } from "./inventory-services.js";

describe("service parsers", () => {
  it("maps systemd units to state and start mode, instances through their template", () => {
    const units = [
      "ssh.service                     loaded    active   running OpenBSD Secure Shell server",
      "networking.service              loaded    active   exited  Raise network interfaces",
      "apache2.service                 loaded    failed   failed  The Apache HTTP Server",
      "cups.service                    loaded    inactive dead    CUPS Scheduler",
      "getty@tty1.service              loaded    active   running Getty on tty1",
      "foo.service                     not-found inactive dead    foo.service",
      "● smbd.service                  loaded    activating start Samba SMB Daemon",
    ].join("\n");
    const files = ["ssh.service enabled enabled", "networking.service enabled enabled", "apache2.service enabled enabled", "cups.service disabled enabled", "getty@.service enabled enabled", "smbd.service masked enabled"].join("\n");
    expect(parseSystemctl(units, files)).toEqual([
      { name: "apache2.service", state: "failed", startMode: "auto", description: "The Apache HTTP Server" },
      { name: "cups.service", state: "stopped", startMode: "disabled", description: "CUPS Scheduler" },
      { name: "getty@tty1.service", state: "running", startMode: "auto", description: "Getty on tty1" },
      { name: "networking.service", state: "exited", startMode: "auto", description: "Raise network interfaces" },
      { name: "smbd.service", state: "starting", startMode: "disabled", description: "Samba SMB Daemon" },
      { name: "ssh.service", state: "running", startMode: "auto", description: "OpenBSD Secure Shell server" },
    ]);
  });

  it("reads SysV init scripts from service --status-all", () => {
    expect(parseServiceStatusAll(" [ + ]  ssh\n [ - ]  cron\n [ ? ]  hwclock.sh\nnoise\n")).toEqual([
      { name: "cron", state: "stopped", startMode: "unknown", description: "" },
      { name: "hwclock.sh", state: "unknown", startMode: "unknown", description: "" },
      { name: "ssh", state: "running", startMode: "unknown", description: "" },
    ]);
  });

  it("maps Windows start modes from systeminformation", () => {
    expect(
      fromPortable([
        { name: "Spooler", running: true, startmode: "Auto" },
        { name: "wuauserv", running: false, startmode: "Manual" },
        { name: "RemoteRegistry", running: false, startmode: "Disabled" },
        { name: "", running: true, startmode: "" },
      ]),
    ).toEqual([
      { name: "RemoteRegistry", state: "stopped", startMode: "disabled", description: "" },
      { name: "Spooler", state: "running", startMode: "auto", description: "" },
      { name: "wuauserv", state: "stopped", startMode: "manual", description: "" },
    ]);
  });
});
