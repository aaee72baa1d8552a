import { FaultBook } from './faults';

describe('fault book', () => {
  it('consumes orderCreate effects in list order, matching the symbol when one is given', () => {
    const book = new FaultBook();
    book.replace({
      orderCreate: [
        { effect: 'http503', count: 1, symbol: 'ETHUSDT' },
        { effect: 'rateLimit', count: 2 },
      ],
    });
    expect(book.takeOrderCreate('k', 'BTCUSDT')?.effect).toBe('rateLimit');
    expect(book.takeOrderCreate('k', 'ETHUSDT')?.effect).toBe('http503');
    expect(book.takeOrderCreate('k', 'ETHUSDT')?.effect).toBe('rateLimit');
    expect(book.takeOrderCreate('k', 'ETHUSDT')).toBeUndefined();
  });

  it('consumes positionList effects', () => {
    const book = new FaultBook();
    book.replace({
      positionList: [
        { effect: 'timeout', count: 1, hangMs: 5 },
        { effect: 'http500', count: 1 },
      ],
    });
    expect(book.takePositionList('k')).toEqual({ effect: 'timeout', count: 0, hangMs: 5 });
    expect(book.takePositionList('k')?.effect).toBe('http500');
    expect(book.takePositionList('k')).toBeUndefined();
  });

  it('an account override replaces the global set for that account only', () => {
    const book = new FaultBook();
    book.replace({ positionVisibilityLagMs: 100, closeAfterFillMs: 7 });
    book.replace({ orderVisibilityLagMs: 50 }, 'k2');
    expect(book.lags('k1')).toEqual({ positionMs: 100, orderMs: 0, executionMs: 0 });
    expect(book.lags('k2')).toEqual({ positionMs: 0, orderMs: 50, executionMs: 0 });
    expect(book.closeAfterFillMs('k1')).toBe(7);
    expect(book.closeAfterFillMs('k2')).toBeUndefined();
  });

  it('a global post replaces everything, including overrides', () => {
    const book = new FaultBook();
    book.replace({ orderVisibilityLagMs: 50 }, 'k2');
    book.replace({ executionVisibilityLagMs: 10 });
    expect(book.lags('k2')).toEqual({ positionMs: 0, orderMs: 0, executionMs: 10 });
  });

  it('clear drops one override or everything', () => {
    const book = new FaultBook();
    book.replace({ positionVisibilityLagMs: 1 });
    book.replace({ positionVisibilityLagMs: 2 }, 'k');
    book.clear('k');
    expect(book.lags('k').positionMs).toBe(1);
    book.clear();
    expect(book.lags('k').positionMs).toBe(0);
    expect(book.snapshot()).toEqual({ global: {}, perAccount: {} });
  });

  it('consumes orderCreateBatch effects, a symbol matching any order of the request', () => {
    const book = new FaultBook();
    book.replace({
      orderCreateBatch: [
        { effect: 'timeoutAfterAccept', count: 1, symbol: 'ETHUSDT' },
        { effect: 'http503', count: 1 },
      ],
    });
    expect(book.takeOrderCreate('k', 'ETHUSDT')).toBeUndefined();
    expect(book.takeOrderCreateBatch('k', ['BTCUSDT'])?.effect).toBe('http503');
    expect(book.takeOrderCreateBatch('k', ['BTCUSDT'])).toBeUndefined();
    expect(book.takeOrderCreateBatch('k', ['BTCUSDT', 'ETHUSDT'])?.effect).toBe('timeoutAfterAccept');
    expect(book.takeOrderCreateBatch('k', ['ETHUSDT'])).toBeUndefined();
  });
});
