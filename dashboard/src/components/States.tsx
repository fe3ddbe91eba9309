import type { ReactNode } from "react";
import type { ApiFailure } from "../api/client";
import type { Loaded } from "../api/useApi";

/** A spinner line for a region that is loading. */
export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <p className="loading" role="status">
      {what}…
    </p>
  );
}

/** An error from the API, shown with what to do about it. */
export function ErrorBox({ error, retry }: { error: ApiFailure | Error; retry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <p>{error.message}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** What to show when a list is empty: a sentence saying what to do next, and optionally a button for it. */
export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** Renders a read: loading first, the error (with retry) when it failed, the content once there. */
export function Async<T>({ state, children, what }: { state: Loaded<T>; children(data: T): ReactNode; what?: string }) {
  if (state.error) return <ErrorBox error={state.error} retry={state.reload} />;
  if (state.data === undefined) return <Loading what={what} />;
  return <>{children(state.data)}</>;
}
