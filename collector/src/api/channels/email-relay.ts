/**
 * The SMTP relay that e-mail channels send through (VIGIL_SMTP_URL, VIGIL_SMTP_FROM), as the API's channel
 * test needs it. Optional in the API's dependencies: without it an e-mail channel's test fails with a clear error.
 */
import type { MailTransport } from "../../alerts/channels/index.js";

/** Transport and sender address for e-mail channels. */
export interface EmailRelay {
  transport: MailTransport;
  from: string;
}
