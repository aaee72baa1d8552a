// Jest `globalSetup` of the `integration` project (see jest.config.js). Runs once, in Jest's main
// process, before any worker starts; details in ./lifecycle.ts.
import { setUpTestInfrastructure } from './lifecycle';
import { saveState } from './state';

export default async function globalSetup(): Promise<void> {
  const state = await setUpTestInfrastructure((line) => process.stderr.write(`\n${line}\n`));
  saveState(state);
}
