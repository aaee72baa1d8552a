import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './generated/gateway-api';
import { ResponseValidator } from './response-validator';
import gatewayOpenApi from './openapi.json';

/** The typed client of the gateway's API (openapi-fetch over the generated `paths`). */
export type GatewayApi = Client<paths>;

/** A validator over the committed document this client was generated from. */
export function gatewayResponseValidator(): ResponseValidator {
  return new ResponseValidator(gatewayOpenApi);
}

/**
 * An openapi-fetch middleware that checks every JSON answer against the document (see
 * {@link ResponseValidator}: a 2xx body against its operation's schema, an error's status and code
 * against the ones documented); a mismatch rejects the call.
 */
export function validateResponses(validator: ResponseValidator = gatewayResponseValidator()): Middleware {
  return {
    async onResponse({ request, response, schemaPath }) {
      if (!response.headers.get('content-type')?.includes('application/json')) return;
      validator.check(request.method, schemaPath, response.status, await response.clone().json());
    },
  };
}

/**
 * A typed client of the gateway at `baseUrl` (e.g. `http://127.0.0.1:3000`), sending `token` as
 * the bearer token. `validate: true` adds {@link validateResponses} (the test helpers do).
 */
export function createGatewayApi(options: { baseUrl: string; token?: string; validate?: boolean }): GatewayApi {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {}),
  });
  if (options.validate) client.use(validateResponses());
  return client;
}
