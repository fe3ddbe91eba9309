/** Largest WebSocket frame either side accepts (1 MiB). Bigger frames close the connection with 1009. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Most records one batch may carry. */
export const MAX_RECORDS_PER_BATCH = 2000;

/** Most metrics one health record may carry. */
export const MAX_METRICS_PER_RECORD = 4000;

/** Most unacknowledged batches an agent keeps in flight on one connection. */
export const MAX_IN_FLIGHT_BATCHES = 64;

/** Longest metric or label name, and longest label value, in characters. */
export const MAX_NAME_LENGTH = 200;
export const MAX_LABEL_VALUE_LENGTH = 500;

/** Most labels on one metric. */
export const MAX_LABELS = 8;

/** Longest `data` of one inventory record, in base64 characters (768 KiB): one part and its batch fit in one frame. */
export const MAX_INVENTORY_PART_CHARS = 786_432;

/** Most parts (records, each in its own batch) one inventory document may be split into. */
export const MAX_INVENTORY_PARTS = 16;

/** Largest inventory document: its JSON, uncompressed, in UTF-8 bytes (16 MiB). */
export const MAX_INVENTORY_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Path of the agent stream endpoint on the collector. */
export const CONNECT_PATH = "/api/v1/agents/connect";

/** Path of the enrollment endpoint on the collector. */
export const ENROLL_PATH = "/api/v1/agents/enroll";
