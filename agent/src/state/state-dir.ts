import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { AgentConfig } from "@vigil/protocol";

/** What enrollment leaves in the state directory; the agent token is secret (file mode 0600). */
export interface Credentials {
  server: string;
  agentId: string;
  agentToken: string;
  clientId: string;
  siteId: string;
  enrolledAt: string;
}

/** What a running agent reports about itself, for `vigil-agent status`. */
export interface AgentStatus {
  pid: number;
  updatedAt: string;
  connected: boolean;
  server: string;
  lastConnectedAt: string | null;
  lastAckAt: string | null;
  lastAckSeq: number;
  spool: { pendingBatches: number; pendingBytes: number; lastSeq: number; droppedBatches: number; droppedBytes: number };
  lastError: string | null;
  /** Set when the collector refused the agent token: only re-enrollment helps. */
  needsReenroll: boolean;
  stopped?: string;
}

/** The platform's place for agent state: /var/lib/vigil-agent on Linux when run as root, else per user. */
export function defaultStateDir(): string {
  if (process.env.VIGIL_AGENT_STATE_DIR) return path.resolve(process.env.VIGIL_AGENT_STATE_DIR);
  switch (process.platform) {
    case "win32":
      return path.join(process.env.ProgramData ?? "C:\\ProgramData", "Vigil", "agent");
    case "darwin":
      return process.getuid?.() === 0 ? "/Library/Application Support/Vigil/agent" : path.join(os.homedir(), "Library", "Application Support", "Vigil", "agent");
    default:
      return process.getuid?.() === 0 ? "/var/lib/vigil-agent" : path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), ".local", "state"), "vigil-agent");
  }
}

/** Files in one agent state directory. */
export class StateDir {
  constructor(readonly dir: string) {}

  get spoolDir(): string {
    return path.join(this.dir, "spool");
  }

  /** Creates the directory, readable by its owner only. */
  ensure(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** The saved credentials, or null before enrollment. */
  readCredentials(): Credentials | null {
    const file = path.join(this.dir, "credentials.json");
    if (!existsSync(file)) return null;
    return JSON.parse(readFileSync(file, "utf8")) as Credentials;
  }

  /** Saves credentials with mode 0600, atomically. */
  writeCredentials(c: Credentials): void {
    this.ensure();
    this.writeAtomic("credentials.json", JSON.stringify(c, null, 2), 0o600);
  }

  /** The configuration the collector last pushed, or null when it never has (or the file is unreadable). */
  readConfig(): AgentConfig | null {
    const file = path.join(this.dir, "config.json");
    if (!existsSync(file)) return null;
    try {
      const parsed = AgentConfig.safeParse(JSON.parse(readFileSync(file, "utf8")));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Keeps the collector's configuration so a restart without the collector runs the same checks. */
  writeConfig(c: AgentConfig): void {
    this.writeAtomic("config.json", JSON.stringify(c, null, 2), 0o644);
  }

  /** The last status a running agent wrote, or null. */
  readStatus(): AgentStatus | null {
    const file = path.join(this.dir, "status.json");
    if (!existsSync(file)) return null;
    return JSON.parse(readFileSync(file, "utf8")) as AgentStatus;
  }

  /** Saves the running agent's status for `vigil-agent status`. */
  writeStatus(s: AgentStatus): void {
    this.writeAtomic("status.json", JSON.stringify(s, null, 2), 0o644);
  }

  private writeAtomic(name: string, text: string, mode: number): void {
    const file = path.join(this.dir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  }
}
