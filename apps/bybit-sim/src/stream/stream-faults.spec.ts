// Stream message faults: counted, filtered by topic, an account's own list before the global one.
import { StreamFaultBook } from './stream-faults';

describe('stream fault book', () => {
  it('consumes counts in order, for the matching topic only', () => {
    const book = new StreamFaultBook();
    book.replace([
      { effect: 'duplicate', topic: 'execution', count: 2 },
      { effect: 'delay', count: 1, delayMs: 50 },
    ]);
    expect(book.take('k1', 'order')?.effect).toBe('delay');
    expect(book.take('k1', 'order')).toBeUndefined();
    expect(book.take('k2', 'execution')?.effect).toBe('duplicate');
    expect(book.take('k1', 'execution')?.effect).toBe('duplicate');
    expect(book.take('k1', 'execution')).toBeUndefined();
    expect(book.snapshot().global).toEqual([
      { effect: 'duplicate', topic: 'execution', count: 2, remaining: 0 },
      { effect: 'delay', count: 1, delayMs: 50, remaining: 0 },
    ]);
  });

  it("uses an account's own list instead of the global one; a global post drops the per-account lists", () => {
    const book = new StreamFaultBook();
    book.replace([{ effect: 'duplicate', count: 5 }]);
    book.replace([{ effect: 'delay', count: 1, delayMs: 10 }], 'k1');
    expect(book.take('k1', 'wallet')?.effect).toBe('delay');
    expect(book.take('k1', 'wallet')).toBeUndefined();
    expect(book.take('k2', 'wallet')?.effect).toBe('duplicate');
    book.clear('k1');
    expect(book.take('k1', 'wallet')?.effect).toBe('duplicate');
    book.replace([{ effect: 'delay', count: 1, delayMs: 10 }], 'k1');
    book.replace([]);
    expect(book.take('k1', 'wallet')).toBeUndefined();
    expect(book.snapshot()).toEqual({ global: [], byAccount: {} });
  });
});
