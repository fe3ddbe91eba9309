/** Placeholder until this view is built. */
export function FleetView() {
  return <h1>fleet</h1>;
}
