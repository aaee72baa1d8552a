// What the global setup started, kept on globalThis for the global teardown (both run in Jest's
// main process; module state is not shared between them reliably, globalThis is).
import type { OrphanReaper } from '../internal/orphan-reaper';
import type { LocalNats } from '../nats-server';
import type { LocalPostgres } from '../postgres';

export interface DevstackJestState {
  runId: string;
  adminDatabaseUrl: string;
  templateDb: string;
  /** True when DATABASE_URL pointed at a server we did not start (clean up databases, not the server). */
  externalDatabase: boolean;
  tempRoot?: string;
  nats?: LocalNats;
  postgres?: LocalPostgres;
  reaper?: OrphanReaper;
}

const STATE_KEY = Symbol.for('@legwork/devstack/jest-state');

type StateHolder = { [STATE_KEY]?: DevstackJestState };

export function saveState(state: DevstackJestState): void {
  (globalThis as StateHolder)[STATE_KEY] = state;
}

export function takeState(): DevstackJestState | undefined {
  const holder = globalThis as StateHolder;
  const state = holder[STATE_KEY];
  delete holder[STATE_KEY];
  return state;
}
