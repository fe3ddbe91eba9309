import { useEffect } from "react";

/**
 * Calls `refresh` every `everyMs` while the page is visible, and once when it becomes visible again.
 * The caller's read keeps its data while it refreshes, so the table, scroll position and open forms stay put.
 */
export function useAutoRefresh(refresh: () => void, everyMs = 15_000): void {
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === "visible") refresh();
    };
    const timer = window.setInterval(tick, everyMs);
    document.addEventListener("visibilitychange", tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [refresh, everyMs]);
}
