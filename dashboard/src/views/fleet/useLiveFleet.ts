import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiFailure, call } from "../../api/client";
import { applyHostChange } from "./rollup";
import type { Fleet, FleetHost } from "./types";

/** How the view keeps up: a live event stream, or re-reading every {@link FALLBACK_POLL_MS} while it is down. */
export type Liveness = "connecting" | "live" | "polling";

const FALLBACK_POLL_MS = 15_000;
const RECONNECT_MS = 5_000;

/**
 * The fleet, kept current: read from GET /api/v1/fleet, then patched by `host` events from
 * /api/v1/fleet/events. The fleet is read again whenever the stream (re)opens, since changes while it was
 * down are not replayed; while the stream is down it is read every 15 s instead.
 */
export function useLiveFleet(): { fleet: Fleet | undefined; error: ApiFailure | null; liveness: Liveness; reload(): void } {
  const [fleet, setFleet] = useState<Fleet>();
  const [error, setError] = useState<ApiFailure | null>(null);
  const [liveness, setLiveness] = useState<Liveness>("connecting");
  const latestRead = useRef(0);
  // The fleet as last shown, for patching by events outside React's render.
  const current = useRef<Fleet | undefined>(undefined);
  // Host events that arrived while a read was in flight: laid over its answer, which may predate them.
  const pending = useRef<FleetHost[] | null>(null);

  const reload = useCallback(() => {
    const id = ++latestRead.current;
    pending.current = [];
    call(api.GET("/api/v1/fleet"))
      .then((data) => {
        if (id !== latestRead.current) return;
        let fleet = data;
        for (const host of pending.current ?? []) fleet = applyHostChange(fleet, host) ?? fleet;
        pending.current = null;
        current.current = fleet;
        setFleet(fleet);
        setError(null);
      })
      .catch((err: unknown) => {
        if (id === latestRead.current) pending.current = null;
        if (id === latestRead.current) setError(err instanceof ApiFailure ? err : new ApiFailure(0, "client", (err as Error).message));
      });
  }, []);

  useEffect(() => {
    reload();
    let source: EventSource | null = null;
    let reconnect: number | undefined;
    let poll: number | undefined;
    let stopped = false;

    const startPolling = () => {
      setLiveness("polling");
      poll ??= window.setInterval(reload, FALLBACK_POLL_MS);
    };
    const stopPolling = () => {
      window.clearInterval(poll);
      poll = undefined;
    };
    const connect = () => {
      if (stopped) return;
      source = new EventSource("/api/v1/fleet/events", { withCredentials: true });
      source.addEventListener("ready", () => {
        stopPolling();
        setLiveness("live");
        reload();
      });
      source.addEventListener("host", (e) => {
        const host = JSON.parse((e as MessageEvent<string>).data) as FleetHost;
        pending.current?.push(host);
        if (!current.current) return;
        const next = applyHostChange(current.current, host);
        // A host that appeared (newly enrolled) or moved: read the whole fleet.
        if (!next) return reload();
        current.current = next;
        setFleet(next);
      });
      source.onerror = () => {
        startPolling();
        // The browser retries by itself unless the stream was refused (CLOSED); then try again after a pause.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          reconnect = window.setTimeout(connect, RECONNECT_MS);
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      window.clearTimeout(reconnect);
      stopPolling();
    };
  }, [reload]);

  return { fleet, error, liveness, reload };
}
