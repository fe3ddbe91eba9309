import { useCallback, useEffect, useRef, useState } from "react";
import { ApiFailure } from "./client";

/** State of one API read. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiFailure | null;
  loading: boolean;
  /** Reads again (after a change, or when the user asks to retry). */
  reload(): void;
}

/** Runs `load` now and whenever `deps` change; a newer read supersedes an older one still in flight. */
export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiFailure | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const id = ++latest.current;
    setLoading(true);
    load()
      .then((value) => {
        if (id !== latest.current) return;
        setData(value);
        setError(null);
      })
      .catch((err: unknown) => {
        if (id !== latest.current) return;
        setError(err instanceof ApiFailure ? err : new ApiFailure(0, "client", (err as Error).message));
      })
      .finally(() => {
        if (id === latest.current) setLoading(false);
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
