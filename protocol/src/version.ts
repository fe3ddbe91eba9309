/** Version of the wire protocol spoken by this package; every message carries it as `v`. */
export const PROTOCOL_VERSION = 1 as const;

/** Protocol versions this build can read. A peer speaking another version is refused with close code 4400. */
export const SUPPORTED_VERSIONS: readonly number[] = [1];
