/** Machine-readable error codes carried by `error` messages and HTTP error bodies. */
export const ErrorCode = {
  InvalidJson: "invalid_json",
  InvalidMessage: "invalid_message",
  UnknownType: "unknown_type",
  UnsupportedVersion: "unsupported_version",
  FrameTooLarge: "frame_too_large",
  SequenceRegression: "sequence_regression",
  TooManyInFlight: "too_many_in_flight",
  HelloRequired: "hello_required",
  StorageUnavailable: "storage_unavailable",
  Unauthorized: "unauthorized",
  TokenExpired: "token_expired",
  TokenRevoked: "token_revoked",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
