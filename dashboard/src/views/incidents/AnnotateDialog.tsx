import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { api, ApiFailure, call } from "../../api/client";
import type { components } from "../../api/schema";
import { Field } from "../../components/Field";
import { formatTime } from "../../format";
import { actorWords, causeWords, type Incident } from "./words";

type Annotation = components["schemas"]["AnnotateIncident"];
type Errors = Partial<Record<"note" | "excluded" | "exclusionReason" | "acknowledged", string>>;

/** The PATCH body for what changed in the form; null when nothing did. */
function changes(incident: Incident, form: { note: string; excluded: boolean; reason: string; acknowledge: boolean }): Annotation | null {
  const body: Annotation = {};
  const note = form.note.trim();
  if (note !== (incident.note ?? "")) body.note = note === "" ? null : note;
  if (form.excluded) {
    const reason = form.reason.trim();
    // The API wants the reason with every exclusion it is told about, so both go together.
    if (!incident.excluded || reason !== (incident.exclusionReason ?? "")) Object.assign(body, { excluded: true, exclusionReason: reason });
  } else if (incident.excluded) body.excluded = false;
  if (form.acknowledge && !incident.acknowledgedAt) body.acknowledged = true;
  return Object.keys(body).length ? body : null;
}

/**
 * Annotates one incident: root-cause note, SLA exclusion with its reason, acknowledgement. Checks the form
 * before sending and shows the server's field errors beside the fields; a modal <dialog> that keeps what was
 * typed while the list behind it refreshes.
 */
export function AnnotateDialog({ incident, onSaved, onClose }: { incident: Incident; onSaved(updated: Incident): void; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [note, setNote] = useState(incident.note ?? "");
  const [excluded, setExcluded] = useState(incident.excluded);
  const [reason, setReason] = useState(incident.exclusionReason ?? "");
  const [acknowledge, setAcknowledge] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // No close() on unmount: see SilenceDialog (StrictMode's second mount would get the close event).
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Errors = {};
    if (excluded && !reason.trim()) problems.exclusionReason = "Required: say why this incident does not count against the SLA.";
    if (note.trim().length > 2000) problems.note = "At most 2,000 characters.";
    if (reason.trim().length > 500) problems.exclusionReason = "At most 500 characters.";
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length) return;
    const body = changes(incident, { note, excluded, reason, acknowledge });
    if (!body) return setFailure("Nothing changed.");
    setBusy(true);
    try {
      const updated = await call(api.PATCH("/api/v1/incidents/{id}", { params: { path: { id: incident.id } }, body }));
      onSaved(updated);
      ref.current?.close();
    } catch (err) {
      const f = err instanceof ApiFailure ? err : new ApiFailure(0, "client", (err as Error).message);
      const fields = f.fieldErrors;
      if (Object.keys(fields).length) setErrors(fields);
      else setFailure(f.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="incident-dialog" aria-labelledby={titleId} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>Annotate incident on {incident.hostname}</h2>
        <p className="muted">
          {causeWords(incident.cause)}, {formatTime(incident.startedAt)}. Changes are audited with your name.
        </p>
        <Field label="Root-cause note" error={errors.note}>
          <textarea rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder="e.g. UPS failed during the storm; replaced" />
        </Field>
        <div className={errors.excluded ? "field invalid" : "field"}>
          <label className="check">
            <input type="checkbox" checked={excluded} onChange={(e) => setExcluded(e.target.checked)} /> Exclude from the SLA
          </label>
          {errors.excluded && <small className="field-error">{errors.excluded}</small>}
        </div>
        {excluded && (
          <Field label="Exclusion reason" error={errors.exclusionReason} hint="Shown in the client's SLA report.">
            <input type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
        )}
        {incident.acknowledgedAt ? (
          <p className="small">
            Acknowledged by {actorWords(incident.acknowledgedBy)} {formatTime(incident.acknowledgedAt)}.
          </p>
        ) : (
          <div className="field">
            <label className="check">
              <input type="checkbox" checked={acknowledge} onChange={(e) => setAcknowledge(e.target.checked)} /> Acknowledge now
            </label>
          </div>
        )}
        {failure && (
          <p className="error" role="alert">
            {failure}
          </p>
        )}
        <div className="row">
          <button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </button>
          <button type="button" className="secondary" onClick={() => ref.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
