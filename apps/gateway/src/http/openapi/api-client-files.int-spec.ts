import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@legwork/devstack';

// The committed client (document and openapi-typescript types) equals what the built gateway
// generates now: `npm run api:client -- --check` run on dist/ (the integration project builds first).
describe('npm run api:client --check', () => {
  it('finds libs/api-client up to date', async () => {
    const script = path.join(repoRoot(), 'dist/apps/gateway/src/http/openapi/generate-api-client.js');
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--check'], { cwd: repoRoot() });
    expect(stdout).toBe('');
  });
});
