import { createGatewayApi, gatewayResponseValidator, type GatewayApi, type ResponseValidator } from '@legwork/api-client';

/** What a call answered: status, headers and the parsed JSON body (the error body on a refusal). */
export interface GatewayAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** One validator for every client of the process (its compiled schemas are cached). */
let sharedValidator: ResponseValidator | undefined;

/**
 * An HTTP client of the gateway, used exactly as a frontend would (demo, tests, benchmarks). Its
 * typed calls go through the client generated from the OpenAPI document (`api`, from
 * `@legwork/api-client`); every JSON answer, typed or raw, is checked against the document — a
 * 2xx body against its operation's schema (`ResponseMismatchError`), an error's status and code
 * against the ones the operation lists — and a mismatch throws, so every integration test that
 * calls the gateway also asserts that the spec tells the truth.
 */
export class GatewayClient {
  /** The typed client: `await client.api.GET('/api/accounts')` → `{data, error, response}`. */
  readonly api: GatewayApi;

  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {
    this.api = createGatewayApi({ baseUrl, token, validate: true });
  }

  /**
   * Any request, as raw as a hostile client's (a string body is sent as it is).
   * @throws ResponseMismatchError when a 2xx answer does not match the document; Error when an
   *   answer's status or error code is not one the document lists for the operation
   */
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<GatewayAnswer> {
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
    if (response.headers.get('content-type')?.includes('application/json')) {
      sharedValidator ??= gatewayResponseValidator();
      sharedValidator.check(method, path, response.status, json);
    }
    return { status: response.status, headers: response.headers, body: json as Record<string, unknown> };
  }

  /** `POST /api/positions` through the typed client; `body` is sent as given (tests send invalid ones too). */
  async openPosition(body: unknown, idempotencyKey?: string): Promise<GatewayAnswer> {
    return answer(
      await this.api.POST('/api/positions', {
        body: body as never,
        params: { header: idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey } },
      }),
    );
  }

  /** `GET /api/positions/{id}` through the typed client. */
  async getPosition(id: string): Promise<GatewayAnswer> {
    return answer(await this.api.GET('/api/positions/{id}', { params: { path: { id } } }));
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

/** A typed call's outcome in the untyped shape the older tests read. */
function answer(result: { data?: unknown; error?: unknown; response: Response }): GatewayAnswer {
  return {
    status: result.response.status,
    headers: result.response.headers,
    body: (result.data ?? result.error ?? null) as Record<string, unknown>,
  };
}
