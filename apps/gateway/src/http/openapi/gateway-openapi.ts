import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { GatewaySettings } from '../../gateway.settings';
import { commonErrors, errorResponses } from './error-responses';
import { controllerRoutes, DocumentedRoute, RouteAnswer, RouteDoc } from './route-doc';
import { NON_HANDLER_ROUTES } from './non-handler-routes';

type Controller = new (...args: never[]) => unknown;

const DESCRIPTION = `Open and follow synthetic index positions (weighted baskets of Bybit USDT linear perpetuals).

- **Auth**: \`Authorization: Bearer <token>\` on every \`/api\` route but the documentation; operator routes need an operator's token (403 otherwise).
- **Errors**: \`{"error": {"code", "message", "location"?, "field"?}}\`; \`code\` is stable (clients branch on it), \`field\` names the refused input.
- **Asynchronous**: opening, closing, rolling back and restoring answer \`202\`; follow the position with \`GET /api/positions/{id}\`.
- **Idempotency**: \`POST /api/positions\` takes an \`Idempotency-Key\`; the same key with the same body answers the same position (\`Idempotent-Replayed: true\`), with another body \`409 IDEMPOTENCY.KEY_REUSED\`. Asking to close or roll back a position already doing so answers the unwind under way (\`Idempotent-Replayed: true\`), never a second one.
- **Pages**: lists take \`limit\`; \`GET /api/positions\` answers \`nextCursor\`, passed back as \`cursor\` for the next page (null on the last).
- **Rate limit**: per token (per IP without one); over it \`429 RATE_LIMITED\` with \`Retry-After\`.`;

/**
 * The gateway's OpenAPI 3.1 document, generated (zod-to-openapi) from the same zod schemas that
 * validate each request and type each answer: every Nest handler's `@ApiDoc`
 * (http/openapi/route-doc.ts) and the routes no handler of ours carries
 * (`NON_HANDLER_ROUTES`). Served at `/api/openapi.json` and, as a reference UI, at `/api/docs`;
 * the typed client in libs/api-client is generated from it (`npm run api:client`).
 * @throws Error when a route is documented twice.
 */
export function gatewayOpenApi(settings: GatewaySettings, controllers: readonly Controller[]) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'a user’s API token (operator routes: an operator’s token)',
  });
  const seen = new Set<string>();
  const routes = [
    ...controllerRoutes(controllers).filter((r): r is typeof r & DocumentedRoute => r.doc !== undefined),
    ...NON_HANDLER_ROUTES,
  ];
  for (const route of routes) {
    const key = `${route.method.toUpperCase()} ${route.path}`;
    if (seen.has(key)) throw new Error(`${key} is documented twice (an @ApiDoc and an entry in NON_HANDLER_ROUTES?)`);
    seen.add(key);
    registry.registerPath(pathConfig(route.method, route.path, typeof route.doc === 'function' ? route.doc(settings) : route.doc));
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Legwork gateway', version: '0.1.0', description: DESCRIPTION },
    servers: [{ url: '/', description: 'this gateway (the document is served by it)' }],
    tags: [
      { name: 'positions', description: 'open, follow, close, roll back and restore positions' },
      { name: 'accounts', description: 'the caller’s exchange accounts' },
      { name: 'indices', description: 'the synthetic indices a position can follow' },
      { name: 'alerts', description: 'alerts about the caller’s positions and accounts' },
      { name: 'operator', description: 'operators only' },
      { name: 'ops', description: 'probes, metrics and this document' },
    ],
  });
}

export type GatewayOpenApiDocument = ReturnType<typeof gatewayOpenApi>;

function pathConfig(method: DocumentedRoute['method'], path: string, doc: RouteDoc): RouteConfig {
  const { body, ...parameters } = doc.request ?? {};
  return {
    method,
    path,
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: doc.tags,
    security: doc.auth === 'public' ? [] : [{ bearer: [] }],
    request: { ...parameters, ...(body ? { body: { required: true, content: { 'application/json': { schema: body } } } } : {}) },
    responses: {
      ...Object.fromEntries(Object.entries(doc.responses).map(([status, answer]) => [status, responseConfig(answer)])),
      ...errorResponses([...commonErrors(doc, method), ...(doc.errors ?? [])]),
    },
  };
}

function responseConfig(answer: RouteAnswer) {
  const content = answer.schema
    ? { 'application/json': { schema: answer.schema } }
    : answer.media
      ? {
          [answer.media.type]: {
            schema: {
              type: answer.media.type === 'application/json' ? ('object' as const) : ('string' as const),
              description: answer.media.description,
            },
          },
        }
      : undefined;
  return { description: answer.description, ...(answer.headers ? { headers: answer.headers } : {}), ...(content ? { content } : {}) };
}
