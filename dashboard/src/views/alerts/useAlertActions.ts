import { useCallback, useState } from "react";
import { api, ApiFailure, call } from "../../api/client";

/** What the Acknowledge / Resolve / Silence buttons do, with the busy flag and the last failure. */
export interface AlertActions {
  busy: string | null;
  error: ApiFailure | null;
  clearError(): void;
  acknowledge(id: string): Promise<void>;
  resolve(id: string): Promise<void>;
  /** Throws the API's failure, so the silence form can show field errors beside its fields. */
  silence(id: string, minutes: number, reason: string): Promise<void>;
}

/** Alert actions that call `onDone` after each success, so the page re-reads what changed. */
export function useAlertActions(onDone: () => void): AlertActions {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);

  const run = useCallback(
    async (key: string, send: () => Promise<unknown>, rethrow = false) => {
      setBusy(key);
      setError(null);
      try {
        await send();
        onDone();
      } catch (err) {
        const failure = err instanceof ApiFailure ? err : new ApiFailure(0, "client", (err as Error).message);
        if (rethrow) throw failure;
        setError(failure);
      } finally {
        setBusy(null);
      }
    },
    [onDone],
  );

  return {
    busy,
    error,
    clearError: useCallback(() => setError(null), []),
    acknowledge: (id) => run(`ack:${id}`, () => call(api.POST("/api/v1/alerts/{id}/ack", { params: { path: { id } } }))),
    resolve: (id) => run(`resolve:${id}`, () => call(api.POST("/api/v1/alerts/{id}/resolve", { params: { path: { id } } }))),
    silence: (id, minutes, reason) =>
      run(`silence:${id}`, () => call(api.POST("/api/v1/alerts/{id}/silence", { params: { path: { id } }, body: { minutes, reason } })), true),
  };
}
