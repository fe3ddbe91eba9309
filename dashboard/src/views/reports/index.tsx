/** Placeholder until this view is built. */
export function ReportsView() {
  return <h1>reports</h1>;
}
