import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiFailure } from "../../api/client";
import { Field } from "../../components/Field";
import { ruleWords, type Alert } from "./words";

const DURATIONS: Array<[minutes: number, label: string]> = [
  [30, "30 minutes"],
  [60, "1 hour"],
  [240, "4 hours"],
  [1440, "1 day"],
  [7 * 1440, "7 days"],
];
const MAX_MINUTES = 90 * 1440;

/**
 * Asks how long and why before silencing an alert's rule on its subject. A modal <dialog>: focus moves into
 * it, Escape or Cancel closes it, and the page behind (which keeps refreshing) cannot be clicked meanwhile.
 */
export function SilenceDialog({ alert, onSilence, onClose }: { alert: Alert; onSilence(minutes: number, reason: string): Promise<void>; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [choice, setChoice] = useState("60");
  const [custom, setCustom] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    // No close() on unmount: removing the element ends the modal state, and a close event fired from a
    // cleanup would reach onClose after StrictMode's second mount and shut the dialog at once.
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const minutes = choice === "custom" ? Number(custom) : Number(choice);
    const problems: Record<string, string> = {};
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) problems.minutes = `Enter whole minutes from 1 to ${MAX_MINUTES} (90 days).`;
    if (!reason.trim()) problems.reason = "Say why, so the next person on call knows.";
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      await onSilence(minutes, reason.trim());
      onClose();
    } catch (err) {
      const f = err instanceof ApiFailure ? err : new ApiFailure(0, "client", (err as Error).message);
      const fields = f.fieldErrors;
      if (Object.keys(fields).length) setErrors(fields);
      else setFailure(f);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="alert-dialog" aria-labelledby={titleId} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>Silence {ruleWords(alert.rule)} on {alert.subject.name}</h2>
        <p className="muted">No reminders or escalation for this alert, and no new alert for the same condition, until the silence ends.</p>
        <Field label="For how long" error={choice === "custom" ? undefined : errors.minutes}>
          <select value={choice} onChange={(e) => setChoice(e.target.value)}>
            {DURATIONS.map(([m, label]) => (
              <option key={m} value={String(m)}>
                {label}
              </option>
            ))}
            <option value="custom">Other (minutes)…</option>
          </select>
        </Field>
        {choice === "custom" && (
          <Field label="Minutes" error={errors.minutes}>
            <input type="number" min={1} max={MAX_MINUTES} step={1} inputMode="numeric" value={custom} onChange={(e) => setCustom(e.target.value)} />
          </Field>
        )}
        <Field label="Reason" error={errors.reason}>
          <textarea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. disk replacement until 14:00" />
        </Field>
        {failure && (
          <p className="error" role="alert">
            {failure.message}
          </p>
        )}
        <div className="row">
          <button type="submit" disabled={busy}>
            {busy ? "Silencing…" : "Silence"}
          </button>
          <button type="button" className="secondary" onClick={() => ref.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
