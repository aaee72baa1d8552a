// Test helper: a /v5 request signed as a Bybit client signs it (docs/v5/guide.mdx), sent through
// Fastify's inject (no sockets). Used by the in-process HTTP specs; not part of the simulator.
import { createHmac } from 'node:crypto';
import { SimServer } from '../http/server';

/** Who signs, and the timestamp they put on the request (the server's fixed clock in these specs). */
export interface Signer {
  readonly apiKey: string;
  readonly secret: string;
  readonly now: number;
}

/** The injected response: status, headers and body. */
export type InjectedResponse = Awaited<ReturnType<SimServer['app']['inject']>>;

/** Sends one signed request: the payload is the JSON body of a POST, the query string of a GET. */
export async function signedInject(
  server: SimServer,
  signer: Signer,
  method: 'GET' | 'POST',
  url: string,
  payload?: Record<string, unknown>,
): Promise<InjectedResponse> {
  const body = payload === undefined ? undefined : JSON.stringify(payload);
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const timestamp = String(signer.now);
  const sign = createHmac('sha256', signer.secret)
    .update(timestamp + signer.apiKey + '5000' + (body ?? query))
    .digest('hex');
  return server.app.inject({
    method,
    url,
    payload: body,
    headers: {
      'content-type': 'application/json',
      'x-bapi-api-key': signer.apiKey,
      'x-bapi-timestamp': timestamp,
      'x-bapi-recv-window': '5000',
      'x-bapi-sign': sign,
    },
  });
}
