// Jest loads globalSetup with Node's plain `require` (plus its transform hook), not through its
// module registry, so `moduleNameMapper` does not apply there and `@legwork/*` imports would not
// resolve. This maps exactly the aliases of tsconfig.base.json `paths` for Node's resolver, the
// same single source of truth scripts/jest-paths.js uses for the test workers.
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const resolver = Module as unknown as { _resolveFilename: ResolveFilename };
const INSTALLED = Symbol.for('@legwork/devstack/tsconfig-paths-installed');

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'tsconfig.base.json'))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no tsconfig.base.json above ${start}`);
  }
}

/** Installs the alias resolution once per process (importing this module does it); later calls do nothing. */
export function registerTsconfigPaths(): void {
  const state = globalThis as { [INSTALLED]?: boolean };
  if (state[INSTALLED] === true) return;
  const root = findRepoRoot(__dirname);
  const config = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions?: { paths?: Record<string, string[]> };
  };
  const aliases = new Map<string, string>();
  for (const [alias, targets] of Object.entries(config.compilerOptions?.paths ?? {})) {
    const target = targets[0];
    if (!alias.includes('*') && target !== undefined) aliases.set(alias, path.join(root, target));
  }
  const original = resolver._resolveFilename;
  resolver._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    const target = aliases.get(request);
    // A missing target falls through, so the error names the alias the code asked for.
    const effective = target !== undefined && fs.existsSync(target) ? target : request;
    return original.call(this, effective, parent, isMain, options);
  };
  state[INSTALLED] = true;
}

registerTsconfigPaths();
