import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { API_CLIENT_FILES, apiDocumentFile, apiTypesFile } from './api-client-files';

/**
 * `npm run api:client`: writes libs/api-client's OpenAPI document and generated types from the
 * gateway's zod schemas. `--check`: writes nothing, exits 1 naming each file that differs.
 */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../../../../..');
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  const document = apiDocumentFile();
  const files = { [API_CLIENT_FILES.document]: document, [API_CLIENT_FILES.types]: await apiTypesFile(document) };
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(root, file);
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current === content) continue;
    if (check) stale.push(file);
    else await writeFile(target, content);
    process.stdout.write(`${check ? 'stale' : 'wrote'} ${file}\n`);
  }
  if (stale.length > 0) {
    process.stderr.write('the generated API client differs from the gateway’s schemas: run `npm run api:client` and commit\n');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`api:client failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
