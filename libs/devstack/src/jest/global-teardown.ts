// Jest `globalTeardown` of the `integration` project: stops what ./global-setup.ts started and
// removes its temp dir (details in ./lifecycle.ts).
import { tearDownTestInfrastructure } from './lifecycle';
import { takeState } from './state';

export default async function globalTeardown(): Promise<void> {
  const state = takeState();
  if (state !== undefined) await tearDownTestInfrastructure(state);
}
