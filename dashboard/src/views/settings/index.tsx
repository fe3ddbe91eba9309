/** Placeholder until this view is built. */
export function SettingsView() {
  return <h1>settings</h1>;
}
