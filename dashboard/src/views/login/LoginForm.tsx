import { useState, type FormEvent } from "react";
import { ApiFailure } from "../../api/client";
import { login, type SessionUser } from "../../api/session";

/** Username and password form; also used as the dialog when a session expires mid-use. */
export function LoginForm(props: { onLoggedIn(user: SessionUser): void; title?: string; titleId?: string; username?: string }) {
  const [username, setUsername] = useState(props.username ?? "");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username || !password) return setError("Enter your username and password.");
    setBusy(true);
    setError(null);
    try {
      props.onLoggedIn(await login(username, password));
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 401 ? "Wrong username or password." : (err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form onSubmit={submit} className="card" aria-labelledby={props.titleId ?? "login-title"} noValidate>
        <h1 id={props.titleId ?? "login-title"}>{props.title ?? "Log in to Vigil"}</h1>
        <label>
          Username
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </main>
  );
}
