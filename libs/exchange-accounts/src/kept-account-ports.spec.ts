import type { ExchangePort } from '@legwork/exchange';
import { KeptAccountPorts } from './kept-account-ports';

// A port is only carried here, never called: a distinct object per client is enough to tell them apart.
const client = (name: string) => ({ name }) as unknown as ExchangePort;

describe('KeptAccountPorts: an account client kept while the account trades, for its key only', () => {
  it("gives back the client kept for the account's current key", () => {
    const kept = new KeptAccountPorts({ max: 10, idleMs: 60_000 });
    const port = client('a');
    kept.keep('account-a', 'key-1', port);
    expect(kept.get('account-a', 'key-1')).toBe(port);
    expect(kept.get('account-b', 'key-1')).toBeUndefined();
  });

  it('drops a client made with another key (rotated or resealed since)', () => {
    const kept = new KeptAccountPorts({ max: 10, idleMs: 60_000 });
    kept.keep('account-a', 'key-1', client('a'));
    expect(kept.get('account-a', 'key-2')).toBeUndefined();
    expect(kept.get('account-a', 'key-1')).toBeUndefined(); // dropped, not kept beside the new key
  });

  it('drops a client unused for idleMs, and the least recently used one past max', async () => {
    const kept = new KeptAccountPorts({ max: 2, idleMs: 40 });
    kept.keep('account-a', 'k', client('a'));
    kept.keep('account-b', 'k', client('b'));
    expect(kept.get('account-a', 'k')).toBeDefined(); // a is now the more recently used
    kept.keep('account-c', 'k', client('c'));
    expect(kept.get('account-b', 'k')).toBeUndefined();
    expect(kept.get('account-a', 'k')).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(kept.get('account-a', 'k')).toBeUndefined();
    expect(kept.get('account-c', 'k')).toBeUndefined();
  });
});
