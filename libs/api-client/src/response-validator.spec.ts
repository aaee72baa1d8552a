import { ResponseMismatchError, ResponseValidator } from './response-validator';
import { gatewayResponseValidator } from './gateway-api';

const document = {
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': {
            content: { 'application/json': { schema: { type: 'object', properties: { error: {} } }, examples: { 'THING.NOT_FOUND': {} } } },
          },
        },
      },
    },
    '/things/special': { get: { responses: { '200': { content: { 'text/plain': { schema: { type: 'string' } } } } } } },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        properties: { id: { type: 'string' }, size: { type: ['string', 'null'] } },
        required: ['id', 'size'],
        additionalProperties: false,
      },
    },
  },
};

describe('ResponseValidator', () => {
  const validator = new ResponseValidator(document);

  it('finds the operation of a concrete path, a literal path before a template', () => {
    expect(validator.templateOf('GET', '/things/42?x=1')).toBe('/things/{id}');
    expect(validator.templateOf('get', '/things/special')).toBe('/things/special');
    expect(validator.templateOf('POST', '/things/42')).toBeNull();
    expect(validator.templateOf('GET', '/things/./special')).toBe('/things/special');
    expect(validator.templateOf('GET', '/things/../things/7')).toBe('/things/{id}');
  });

  it('accepts a 2xx body its schema accepts; refuses a missing, mistyped or extra field', () => {
    expect(() => validator.check('GET', '/things/1', 200, { id: '1', size: null })).not.toThrow();
    expect(() => validator.check('GET', '/things/1', 200, { id: '1' })).toThrow(ResponseMismatchError);
    expect(() => validator.check('GET', '/things/1', 200, { id: 1, size: '2' })).toThrow(/getThing answered 200/);
    expect(() => validator.check('GET', '/things/1', 200, { id: '1', size: '2', extra: true })).toThrow(ResponseMismatchError);
  });

  it('refuses an undocumented operation or 2xx status; does not check other media types', () => {
    expect(() => validator.check('DELETE', '/things/1', 200, {})).toThrow(/not in the OpenAPI document/);
    expect(() => validator.check('GET', '/things/1', 201, {})).toThrow(/does not list/);
    expect(() => validator.check('GET', '/things/special', 200, 'text')).not.toThrow();
  });

  it('refuses an error answer whose status or code the operation does not document; ignores unknown routes', () => {
    expect(() => validator.check('GET', '/things/1', 404, { error: { code: 'THING.NOT_FOUND', message: 'x' } })).not.toThrow();
    expect(() => validator.check('GET', '/things/1', 404, { error: { code: 'OTHER.CODE', message: 'x' } })).toThrow(
      /does not list for 404/,
    );
    expect(() => validator.check('GET', '/things/1', 409, { error: { code: 'THING.NOT_FOUND', message: 'x' } })).toThrow(/does not list/);
    expect(() => validator.check('GET', '/nowhere', 404, { error: { code: 'REQUEST.NOT_FOUND', message: 'x' } })).not.toThrow();
  });

  it('reads the committed gateway document', () => {
    const gateway = gatewayResponseValidator();
    expect(gateway.templateOf('POST', '/api/positions/3f0c8a6e-1b2c-4d5e-8f90-1234567890ab/close')).toBe('/api/positions/{id}/close');
    expect(() => gateway.check('GET', '/api/accounts', 200, { accounts: [] })).not.toThrow();
    expect(() => gateway.check('GET', '/api/accounts', 200, { accounts: [{ id: 'x' }] })).toThrow(ResponseMismatchError);
  });
});
