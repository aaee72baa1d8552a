/** A minimal HTTP client of the gateway, used exactly as a frontend would (demo, tests, benchmarks). */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { raw: text };
    }
    return { status: response.status, headers: response.headers, body: json as Record<string, unknown> };
  }

  openPosition(body: unknown, idempotencyKey?: string) {
    return this.request('POST', '/api/positions', body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  getPosition(id: string) {
    return this.request('GET', `/api/positions/${id}`);
  }

  /**
   * Polls a position until its status is one of `statuses`.
   * @throws Error with the last seen body when `timeoutMs` passes.
   */
  async waitForStatus(id: string, statuses: string[], timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown = null;
    while (Date.now() < deadline) {
      const { status, body, headers } = await this.getPosition(id);
      last = body;
      if (status === 200 && statuses.includes(String(body['status']))) return body;
      // Rate limited: wait as long as the gateway says, not a fixed beat.
      const retryAfterMs = status === 429 ? Number(headers.get('retry-after') ?? 1) * 1000 : 100;
      await new Promise((r) => setTimeout(r, Math.min(retryAfterMs, Math.max(0, deadline - Date.now()))));
    }
    throw new Error(`position ${id} did not reach ${statuses.join('|')} within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
  }
}
