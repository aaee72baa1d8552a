import cors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayConfig } from '../config';
import { GatewaySettings } from '../gateway.settings';
import { GATEWAY_CONTROLLERS } from './controllers';
import { corsOptions } from './cors';
import { registerApiDocs } from './openapi/api-docs';
import { gatewayOpenApi, GatewayOpenApiDocument } from './openapi/gateway-openapi';

/**
 * The HTTP plugins of the API a frontend sees, registered before the app listens: CORS for the
 * configured origins (none: not registered) and the OpenAPI document with its reference UI.
 * @returns the document served
 */
export async function registerApiPlugins(app: NestFastifyApplication, config: GatewayConfig): Promise<GatewayOpenApiDocument> {
  if (config.GATEWAY_CORS_ORIGINS.length > 0) await app.register(cors, corsOptions(config.GATEWAY_CORS_ORIGINS));
  const document = gatewayOpenApi(app.get(GatewaySettings), GATEWAY_CONTROLLERS);
  await registerApiDocs(app, document);
  return document;
}
