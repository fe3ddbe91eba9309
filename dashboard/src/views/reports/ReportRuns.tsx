import { useEffect, useState, type FormEvent } from "react";
import { api, ApiFailure, call } from "../../api/client";
import { useSession } from "../../api/session";
import { useApi } from "../../api/useApi";
import { Field } from "../../components/Field";
import { Async, Empty, ErrorBox } from "../../components/States";
import type { Hours } from "./period";
import { formatAvailability, formatDateTime, formatMoney, formatPeriod } from "./words";

/** What a report run is saved from: the exact instants of the report on screen. */
export interface RunParams {
  clientId: string;
  from: string;
  to: string;
  hours: Hours;
}

/** Download link of a saved run in a format. */
function runHref(id: string, format: "pdf" | "csv"): string {
  return `/api/v1/report-runs/${encodeURIComponent(id)}?format=${format}`;
}

/**
 * Saved report runs of the client: the figures frozen with their inputs, so a QBR number can be shown again
 * unchanged after the raw data has aged out. Admins and vCIOs can save the report on screen as a run.
 */
export function ReportRuns({ params, suggestedLabel, timeZone }: { params: RunParams; suggestedLabel: string; timeZone: string }) {
  const { can } = useSession();
  const runs = useApi(() => call(api.GET("/api/v1/report-runs", { params: { query: { clientId: params.clientId } } })), [params.clientId]);
  const canSave = can("admin", "vcio");
  return (
    <section className="report-runs no-print" aria-labelledby="runs-title">
      <h2 id="runs-title">Saved report runs</h2>
      {canSave && <SaveRun params={params} suggestedLabel={suggestedLabel} onSaved={runs.reload} />}
      <Async state={runs} what="Loading saved runs">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              No saved runs for this client yet.
              {canSave ? " Save the report above as a run to keep its figures unchanged for a QBR." : " An admin or vCIO can save a report as a run for a QBR."}
            </Empty>
          ) : (
            <div className="table-wrap">
              <table aria-labelledby="runs-title">
                <thead>
                  <tr>
                    <th scope="col">Label</th>
                    <th scope="col">Period</th>
                    <th scope="col">Hours</th>
                    <th scope="col" className="num">Availability</th>
                    <th scope="col" className="num">Downtime cost</th>
                    <th scope="col">Saved</th>
                    <th scope="col">Download</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{r.label || <span className="muted">(no label)</span>}</th>
                      <td>{formatPeriod(r.params.from, r.params.to, timeZone)}</td>
                      <td>{r.params.hours === "all" ? "24x7" : "Business hours"}</td>
                      {/* The list carries no target; two decimals rounded down, as for a 99.9% target. */}
                      <td className="num">{formatAvailability(r.availabilityPct, 99.9)}</td>
                      <td className="num">{r.currency ? formatMoney(r.costTotal, r.currency) : "n/a"}</td>
                      <td>
                        {formatDateTime(r.createdAt, timeZone)} <span className="muted small">by {r.createdBy}</span>
                      </td>
                      <td className="downloads">
                        <a href={runHref(r.id, "pdf")} download aria-label={`Download PDF of ${r.label || "the saved run"}`}>
                          PDF
                        </a>{" "}
                        <a href={runHref(r.id, "csv")} download aria-label={`Download CSV of ${r.label || "the saved run"}`}>
                          CSV
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
    </section>
  );
}

function SaveRun({ params, suggestedLabel, onSaved }: { params: RunParams; suggestedLabel: string; onSaved(): void }) {
  const [label, setLabel] = useState(suggestedLabel);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  // A different report on screen suggests its own label; what the user typed stays until then.
  useEffect(() => {
    setLabel(suggestedLabel);
    setSaved(null);
  }, [suggestedLabel]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (label.trim().length > 200) {
      setError(new ApiFailure(400, "invalid_request", "label: at most 200 characters"));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const run = await call(api.POST("/api/v1/report-runs", { body: { ...params, label: label.trim() } }));
      setSaved(run.label || "the report");
      onSaved();
    } catch (err) {
      setError(err instanceof ApiFailure ? err : new ApiFailure(0, "client", (err as Error).message));
    } finally {
      setSaving(false);
    }
  };

  const fieldError = error?.fieldErrors.label;
  return (
    <form className="row save-run" onSubmit={(e) => void submit(e)}>
      <Field label="Label of the run" error={fieldError}>
        <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} placeholder="e.g. Q2 QBR" />
      </Field>
      <div className="field">
        <button type="submit" disabled={saving}>
          {saving ? "Saving…" : "Save as report run"}
        </button>
      </div>
      {saved && (
        <p role="status" className="saved">
          Saved “{saved}”: its figures will not change.
        </p>
      )}
      {error && !fieldError && <ErrorBox error={error} />}
    </form>
  );
}
