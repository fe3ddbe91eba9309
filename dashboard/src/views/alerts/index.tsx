/** Placeholder until this view is built. */
export function AlertsView() {
  return <h1>alerts</h1>;
}
