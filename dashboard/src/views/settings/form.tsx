import { useEffect, useRef, useState, type ReactNode } from "react";
import { ApiFailure } from "../../api/client";

/** Problems per field name ("sloPct", "costModel.annualRevenue"), as the Field component shows them. */
export type FieldErrors = Record<string, string>;

/** State of one settings form: its field errors (checked here or by the server), the failure, busy and saved. */
export interface FormState {
  errors: FieldErrors;
  failure: ApiFailure | null;
  busy: boolean;
  saved: string | null;
  /** Attach to the <form>: the first invalid control gets the focus after a failed submit. */
  ref: React.RefObject<HTMLFormElement | null>;
  /**
   * Checks `problems` (undefined entries are fine); if any, shows them and sends nothing. Otherwise runs
   * `send`; its resolved string is the confirmation shown. Resolves whether it was saved.
   */
  submit(problems: Record<string, string | undefined>, send: () => Promise<string | void>): Promise<boolean>;
  /** Forgets errors and confirmation (e.g. when the form switches to another record). */
  reset(): void;
}

/** Turns anything thrown by a request into an {@link ApiFailure}. */
export function asFailure(err: unknown): ApiFailure {
  return err instanceof ApiFailure ? err : new ApiFailure(0, "client", (err as Error).message);
}

// The availability core names list items "weekly.mon[0].end", zod "weekly.mon.0.end": the forms use the latter.
function normalizeKeys(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.replace(/\[(\d+)\]/g, ".$1"), v]));
}

// A 409 may name the field it is about too ("username: alice is already taken").
function conflictField(message: string): FieldErrors {
  const m = /^([\w.]+): (.+)$/.exec(message);
  return m ? { [m[1]!]: m[2]! } : {};
}

/** One form's submit cycle: validate first, then send, then show the server's field errors beside the fields. */
export function useForm(): FormState {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const ref = useRef<HTMLFormElement | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (attempt === 0) return;
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  async function submit(problems: Record<string, string | undefined>, send: () => Promise<string | void>): Promise<boolean> {
    const found = Object.fromEntries(Object.entries(problems).filter((e): e is [string, string] => typeof e[1] === "string"));
    setSaved(null);
    if (Object.keys(found).length > 0) {
      setErrors(found);
      setFailure(null);
      setAttempt((a) => a + 1);
      return false;
    }
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const message = await send();
      setSaved(message ?? "Saved.");
      return true;
    } catch (err) {
      const f = asFailure(err);
      setFailure(f);
      setErrors(normalizeKeys(f.code === "conflict" ? conflictField(f.message) : f.fieldErrors));
      setAttempt((a) => a + 1);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return {
    errors,
    failure,
    busy,
    saved,
    ref,
    submit,
    reset() {
      setErrors({});
      setFailure(null);
      setSaved(null);
    },
  };
}

/**
 * Under a form: the confirmation after saving, or why it was not saved. Server problems about fields the
 * form shows are beside those fields; the rest (and any other failure) are listed here.
 */
export function FormStatus({ form, fields }: { form: FormState; fields: readonly string[] }) {
  if (form.saved) {
    return (
      <p className="form-saved" role="status">
        {form.saved}
      </p>
    );
  }
  const shown = Object.keys(form.errors).filter((k) => fields.includes(k));
  const unshown = Object.entries(form.errors).filter(([k]) => !fields.includes(k));
  if (form.failure && shown.length === 0) return <FailureBox failure={form.failure} />;
  if (Object.keys(form.errors).length === 0) return null;
  return (
    <div className="form-problems" role="alert">
      <p>Not saved: check the fields marked above.</p>
      {unshown.length > 0 && (
        <ul>
          {unshown.map(([k, v]) => (
            <li key={k}>
              {k}: {v}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A failed request, said in words a user can act on. */
export function FailureBox({ failure }: { failure: ApiFailure }) {
  const hint =
    failure.status === 403
      ? "Your role may not do this."
      : failure.retryable
        ? "The collector could not be reached or is busy; try again."
        : null;
  return (
    <div className="error-box" role="alert">
      <p>
        {failure.message}
        {hint && <> — {hint}</>}
      </p>
    </div>
  );
}

/** A destructive button that asks once more inline (no browser dialog), then runs `onConfirm`. */
export function ConfirmButton({ label, confirm, onConfirm, disabled }: { label: string; confirm: string; onConfirm(): void | Promise<void>; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="secondary" onClick={() => setAsking(true)} disabled={disabled}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={confirm}>
      <button
        type="button"
        className="danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          void onConfirm();
        }}
      >
        {confirm}
      </button>
      <button type="button" className="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/** A section of a settings page with its heading. */
export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const headingId = id ?? `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
