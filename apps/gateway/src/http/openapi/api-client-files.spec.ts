import { readFileSync } from 'node:fs';
import path from 'node:path';
import { API_CLIENT_FILES, apiDocumentFile } from './api-client-files';

const root = path.resolve(__dirname, '../../../../..');

// The committed document cannot drift from the server: it is regenerated here from the gateway's
// current zod schemas and must equal what is committed (the generated types: api-client-files.int-spec.ts).
describe('libs/api-client/src/openapi.json', () => {
  it('is exactly what the gateway’s schemas generate (else: npm run api:client)', () => {
    expect(readFileSync(path.join(root, API_CLIENT_FILES.document), 'utf8') === apiDocumentFile()).toBe(true);
  });
});
