import { GatewaySettings } from '../../gateway.settings';
import { GATEWAY_CONTROLLERS } from '../controllers';
import { controllerRoutes } from './route-doc';
import { gatewayOpenApi } from './gateway-openapi';

const document = gatewayOpenApi(new GatewaySettings(10_000_000, 10_000), GATEWAY_CONTROLLERS);
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  (['get', 'post', 'put', 'patch', 'delete'] as const).flatMap((method) =>
    item[method] ? [{ path, method, operation: item[method] }] : [],
  ),
);

describe('the gateway OpenAPI document', () => {
  it('documents every Nest handler, by the path and method Nest routes it on', () => {
    const undocumented = controllerRoutes(GATEWAY_CONTROLLERS).filter((r) => !document.paths?.[r.path]?.[r.method]);
    expect(undocumented.map((r) => `${r.method.toUpperCase()} ${r.path} (${r.handler})`)).toEqual([]);
  });

  it('gives every operation a unique operationId, a 2xx with a schema or a media type, and its error answers', () => {
    const ids = operations.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, operation } of operations) {
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
      expect([path, method, success.length > 0]).toEqual([path, method, true]);
      for (const [, answer] of success)
        expect([path, method, Object.keys((answer as { content?: object }).content ?? {}).length]).toEqual([path, method, 1]);
      if (path.startsWith('/api/') && path !== '/api/docs' && path !== '/api/openapi.json') {
        expect([path, method, Object.keys(operation.responses ?? {})]).toEqual([
          path,
          method,
          expect.arrayContaining(['401', '429', '500']),
        ]);
        expect([path, method, operation.security]).toEqual([path, method, [{ bearer: [] }]]);
      }
    }
  });

  it('answers an operator route’s 403, a body’s 413/415 and a parameter’s 400 with the stable codes', () => {
    const scan = document.paths?.['/api/operator/orphans/scan']?.post;
    expect(Object.keys(scan?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '202', '400', '401', '403', '413', '415', '429', '503']),
    );
    const open = document.paths?.['/api/positions']?.post;
    expect(JSON.stringify(open?.responses?.['409'])).toContain('IDEMPOTENCY.KEY_REUSED');
    expect(open?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]),
    );
    const list = document.paths?.['/api/positions']?.get;
    expect(list?.parameters?.map((p) => ('name' in p ? p.name : ''))).toEqual(['limit', 'cursor']);
  });

  it('describes the open request with the schema that validates it (unknown fields refused)', () => {
    const body = document.paths?.['/api/positions']?.post?.requestBody;
    expect(body).toMatchObject({
      required: true,
      content: {
        'application/json': {
          schema: { additionalProperties: false, required: expect.arrayContaining(['indexId', 'notionalUsdt', 'direction']) },
        },
      },
    });
  });
});
