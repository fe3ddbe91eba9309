/** Placeholder until this view is built. */
export function HostView() {
  return <h1>host</h1>;
}
