/** A status word with its colour; the word is always shown, so colour is never the only signal. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.replace(/[^a-z_]/gi, "")}`}>{status.replace(/_/g, " ")}</span>;
}
