import { Controller, Get } from '@nestjs/common';
import { GatewaySettings } from '../gateway.settings';
import { openApiDocument } from './openapi';

/** `GET /api/docs`: the OpenAPI document (public: it describes the API, it holds no data). */
@Controller('api/docs')
export class DocsController {
  private readonly document;

  constructor(settings: GatewaySettings) {
    this.document = openApiDocument(settings.maxNotionalUsdt);
  }

  @Get()
  get() {
    return this.document;
  }
}
