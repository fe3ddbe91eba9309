import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { ApiFailure, onSessionExpired } from "./client";
import { LoginForm } from "../views/login/LoginForm";

/** The logged-in user as the collector describes them. */
export interface SessionUser {
  id: string;
  username: string;
  role: "admin" | "technician" | "vcio" | "viewer";
  /** The one client a viewer may see; null for other roles. */
  clientId: string | null;
}

interface SessionValue {
  user: SessionUser;
  logout(): Promise<void>;
  /** Whether the user holds one of these roles. */
  can(...roles: SessionUser["role"][]): boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

/** The current session; only inside {@link SessionProvider}. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

async function sessionRequest(method: "GET" | "POST" | "DELETE", body?: unknown): Promise<Response> {
  return fetch("/api/v1/session", {
    method,
    credentials: "same-origin",
    headers: { "X-Vigil-Request": "1", ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/** Logs in; resolves to the user or throws an {@link ApiFailure} with the server's message. */
export async function login(username: string, password: string): Promise<SessionUser> {
  const res = await sessionRequest("POST", { username, password });
  const body = (await res.json().catch(() => ({}))) as { user?: SessionUser; error?: { code: string; message: string } };
  if (!res.ok || !body.user) throw new ApiFailure(res.status, body.error?.code ?? "login_failed", body.error?.message ?? "login failed");
  return body.user;
}

/**
 * Holds the session: shows the login page until someone logs in, and when the session expires mid-use shows
 * a login dialog over the page, so forms keep what was typed and the interrupted request is sent again.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const [relogin, setRelogin] = useState(false);
  const waiting = useRef<Array<{ resolve(): void }>>([]);

  useEffect(() => {
    sessionRequest("GET")
      .then(async (res) => setUser(res.ok ? ((await res.json()) as { user: SessionUser }).user : null))
      .catch(() => setUser(null));
  }, []);

  useEffect(() => {
    onSessionExpired(
      () =>
        new Promise<void>((resolve) => {
          waiting.current.push({ resolve });
          setRelogin(true);
        }),
    );
    return () => onSessionExpired(null);
  }, []);

  const loggedInAgain = useCallback((next: SessionUser) => {
    setUser(next);
    setRelogin(false);
    for (const w of waiting.current.splice(0)) w.resolve();
  }, []);

  const logout = useCallback(async () => {
    await sessionRequest("DELETE").catch(() => undefined);
    setUser(null);
  }, []);

  if (user === undefined) return <p className="loading" role="status">Loading…</p>;
  if (user === null) return <LoginForm onLoggedIn={setUser} />;
  const value: SessionValue = { user, logout, can: (...roles) => roles.includes(user.role) };
  return (
    <SessionContext.Provider value={value}>
      {children}
      {relogin && (
        <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="relogin-title">
          <LoginForm onLoggedIn={loggedInAgain} title="Your session expired" titleId="relogin-title" username={user.username} />
        </div>
      )}
    </SessionContext.Provider>
  );
}
