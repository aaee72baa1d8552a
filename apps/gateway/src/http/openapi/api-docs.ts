import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayOpenApiDocument } from './gateway-openapi';

/** Where the document and its reference UI are served. */
export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const API_DOCS_PREFIX = '/api/docs';

/**
 * Serves the gateway's OpenAPI document at `/api/openapi.json` and a reference UI (Swagger UI) at
 * `/api/docs`, both public (they describe the API, they hold no data). `@fastify/swagger` in static
 * mode serves the document built from the zod schemas (`gatewayOpenApi`), never one guessed from
 * the routes; the UI's assets live under `/api/docs/` (also `/api/docs/json`, the same document).
 */
export async function registerApiDocs(app: NestFastifyApplication, document: GatewayOpenApiDocument): Promise<void> {
  await app.register(swagger, {
    mode: 'static',
    // The plugin's type knows OpenAPI 3.0 documents only; a 3.1 one is served as it is.
    specification: { document: document as unknown as StaticDocumentSpec['document'] },
  });
  await app.register(swaggerUi, { routePrefix: API_DOCS_PREFIX, uiConfig: { docExpansion: 'list', deepLinking: true } });
  app
    .getHttpAdapter()
    .getInstance()
    .get(OPENAPI_JSON_PATH, async () => document);
}
