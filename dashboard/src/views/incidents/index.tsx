/** Placeholder until this view is built. */
export function IncidentsView() {
  return <h1>incidents</h1>;
}
