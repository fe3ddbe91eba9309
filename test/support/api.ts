/** A tiny client for the admin API, as a script would use it. */
export class AdminApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Sends a request and returns status and parsed JSON body. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Creates a client, a site and an enrollment token; returns the token. */
  async enrollmentToken(name = "Acme"): Promise<{ clientId: string; siteId: string; token: string }> {
    const client = await this.request<{ id: string }>("POST", "/api/v1/clients", { name, timezone: "Europe/Berlin", currency: "EUR" });
    if (client.status !== 201) throw new Error(`create client: ${client.status} ${JSON.stringify(client.body)}`);
    const site = await this.request<{ id: string }>("POST", "/api/v1/sites", { clientId: client.body.id, name: "Main Office" });
    if (site.status !== 201) throw new Error(`create site: ${site.status} ${JSON.stringify(site.body)}`);
    const token = await this.request<{ token: string }>("POST", "/api/v1/enrollment-tokens", { clientId: client.body.id, siteId: site.body.id });
    if (token.status !== 201) throw new Error(`create token: ${token.status} ${JSON.stringify(token.body)}`);
    return { clientId: client.body.id, siteId: site.body.id, token: token.body.token };
  }
}
