import { z } from "zod";

const OsInfo = z.object({
  platform: z.string().max(50),
  release: z.string().max(200),
  arch: z.string().max(50),
});

/** Body of `POST /api/v1/agents/enroll`. */
export const EnrollRequest = z.object({
  /** The enrollment token a technician created for a client and site. */
  token: z.string().min(1).max(200),
  hostname: z.string().min(1).max(253),
  agentVersion: z.string().min(1).max(50),
  os: OsInfo.optional(),
  /** A stable machine identifier (Linux: /etc/machine-id), so re-enrolling a machine keeps its host. */
  machineId: z.string().max(200).optional(),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

/** Answer to a successful enrollment (201). The agent token is shown once and never again. */
export const EnrollResponse = z.object({
  agentId: z.string(),
  agentToken: z.string(),
  clientId: z.string(),
  siteId: z.string(),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;
