#!/usr/bin/env node
import { parseArgs } from "node:util";
import pino from "pino";
import { EnrollError, enroll } from "./enroll.js";
import { createHealthProbe } from "./probes/health.js";
import { AgentSetupError, runAgent, stopReason } from "./runner.js";
import { StateDir, defaultStateDir } from "./state/state-dir.js";
import { AGENT_VERSION } from "./version.js";

const USAGE = `Usage: vigil-agent <command> [options]

Commands:
  enroll --server URL --token TOKEN [--machine-id ID]
                                      exchange an enrollment token for this agent's credentials
                                      (re-enrolling the same machine id keeps the same host)
  run                                 collect and stream health and checks to the collector
  status                              show whether the agent is connected, its spool and last error
  collect --once                      print one health sample as JSON and exit

Options:
  --state-dir DIR      where credentials, status and the spool live (default ${defaultStateDir()})
  --version            print the agent version`;

/** Entry point of the `vigil-agent` command. */
async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: "string" },
      token: { type: "string" },
      "machine-id": { type: "string" },
      "state-dir": { type: "string" },
      once: { type: "boolean" },
      "health-interval": { type: "string" },
      "check-interval": { type: "string" },
      "spool-max-bytes": { type: "string" },
      version: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.version) {
    console.log(AGENT_VERSION);
    return 0;
  }
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const stateDir = new StateDir(values["state-dir"] ?? defaultStateDir());
  switch (command) {
    case "enroll": {
      if (!values.server || !values.token) {
        console.error("enroll needs --server URL and --token TOKEN");
        return 2;
      }
      const r = await enroll(values.server, values.token, stateDir, values["machine-id"] ?? process.env.VIGIL_AGENT_MACHINE_ID);
      console.log(`enrolled: agent ${r.agentId} (client ${r.clientId}, site ${r.siteId}); credentials saved in ${stateDir.dir}`);
      console.log("start it with: vigil-agent run" + (values["state-dir"] ? ` --state-dir ${values["state-dir"]}` : ""));
      return 0;
    }
    case "run": {
      const logger = pino({ base: { service: "vigil-agent" }, level: process.env.VIGIL_LOG_LEVEL ?? "info" });
      const agent = await runAgent({
        stateDir,
        logger,
        healthIntervalSeconds: positiveInt(values["health-interval"], "--health-interval"),
        checkIntervalSeconds: positiveInt(values["check-interval"], "--check-interval"),
        spoolMaxBytes: positiveInt(values["spool-max-bytes"], "--spool-max-bytes"),
      });
      const stop = (signal: NodeJS.Signals) => {
        agent.stop(stopReason(signal)).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      return -1;
    }
    case "status":
      return printStatus(stateDir);
    case "collect": {
      if (!values.once) {
        console.error("collect needs --once");
        return 2;
      }
      console.log(JSON.stringify(await createHealthProbe().sample(), null, 2));
      return 0;
    }
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function printStatus(stateDir: StateDir): number {
  const creds = stateDir.readCredentials();
  if (!creds) {
    console.log(`not enrolled (no credentials in ${stateDir.dir})\nrun: vigil-agent enroll --server URL --token TOKEN`);
    return 3;
  }
  const s = stateDir.readStatus();
  const running = s !== null && !s.stopped && isAlive(s.pid);
  const lines = [
    `agent:      ${creds.agentId} (client ${creds.clientId}, site ${creds.siteId})`,
    `server:     ${creds.server}`,
    `process:    ${running ? `running (pid ${s!.pid})` : s?.stopped ? `stopped (${s.stopped})` : "not running"}`,
    `connected:  ${running && s!.connected ? "yes" : "no"}${s?.lastConnectedAt ? ` (last connected ${s.lastConnectedAt})` : ""}`,
    `last ack:   ${s?.lastAckAt ? `${s.lastAckAt}, seq ${s.lastAckSeq}` : "never"}`,
    `spool:      ${s ? `${s.spool.pendingBatches} batches (${s.spool.pendingBytes} bytes) waiting; ${s.spool.droppedBatches} dropped since install` : "unknown"}`,
    `last error: ${s?.lastError ?? "none"}`,
  ];
  if (s?.needsReenroll) lines.push("ACTION:     the collector refused this agent's token; enroll it again with a new enrollment token");
  console.log(lines.join("\n"));
  return running && s!.connected ? 0 : 1;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new AgentSetupError(`${flag} must be a positive integer`);
  return n;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    const known = err instanceof EnrollError || err instanceof AgentSetupError;
    console.error(`vigil-agent: ${known ? (err as Error).message : (err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
