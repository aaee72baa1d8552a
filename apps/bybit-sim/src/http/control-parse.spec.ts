import { ControlInputError, parseFaults, parseManualTrade, parseNewAccount, parsePrices } from './control-parse';

describe('control API bodies', () => {
  it('parses an account, withdrawal flag optional', () => {
    const account = parseNewAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: '10000.5' });
    expect(account).toMatchObject({ apiKey: 'k', apiSecret: 's', canWithdraw: false });
    expect(account.balanceUsdt.toFixed()).toBe('10000.5');
    expect(parseNewAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: 5, canWithdraw: true }).canWithdraw).toBe(true);
  });

  it.each([
    [{ apiKey: 'k', apiSecret: 's' }],
    [{ apiKey: '', apiSecret: 's', balanceUsdt: '1' }],
    [{ apiKey: 'k', apiSecret: 's', balanceUsdt: '-1' }],
    [{ apiKey: 'k', apiSecret: 's', balanceUsdt: '1e3' }],
    [{ apiKey: 'k', apiSecret: 's', balanceUsdt: '1', balance: '2' }],
    [[]],
  ])('refuses account %j', (body) => {
    expect(() => parseNewAccount(body)).toThrow(ControlInputError);
  });

  it('parses prices and refuses non-positive ones', () => {
    expect([...parsePrices({ BTCUSDT: '65000.5', ETHUSDT: 3000 })].map(([symbol, price]) => [symbol, price.toFixed()])).toEqual([
      ['BTCUSDT', '65000.5'],
      ['ETHUSDT', '3000'],
    ]);
    expect(() => parsePrices({ BTCUSDT: '0' })).toThrow(ControlInputError);
    expect(() => parsePrices({ BTCUSDT: 'abc' })).toThrow(ControlInputError);
  });

  it('parses a manual trade whose orderLinkId, if any, starts with manual-', () => {
    expect(parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Sell', qty: '0.01' })).toMatchObject({ side: 'Sell', reduceOnly: false, orderLinkId: '' });
    expect(parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Buy', qty: '1', reduceOnly: true, orderLinkId: 'manual-1' }).orderLinkId).toBe('manual-1');
    expect(() => parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Buy', qty: '1', orderLinkId: 'cmd-1' })).toThrow(ControlInputError);
    expect(() => parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'buy', qty: '1' })).toThrow(ControlInputError);
  });

  it('parses every fault field', () => {
    const parsed = parseFaults({
      apiKey: 'k',
      positionVisibilityLagMs: 1000,
      orderVisibilityLagMs: 2,
      executionVisibilityLagMs: 3,
      closeAfterFillMs: 4,
      orderCreate: [{ effect: 'timeoutAfterAccept', count: 2, symbol: 'BTCUSDT', hangMs: 500 }, { effect: 'reject' }],
      positionList: [{ effect: 'timeout', hangMs: 10 }],
    });
    expect(parsed).toEqual({
      apiKey: 'k',
      faults: {
        positionVisibilityLagMs: 1000,
        orderVisibilityLagMs: 2,
        executionVisibilityLagMs: 3,
        closeAfterFillMs: 4,
        orderCreate: [
          { effect: 'timeoutAfterAccept', count: 2, symbol: 'BTCUSDT', hangMs: 500 },
          { effect: 'reject', count: 1 },
        ],
        positionList: [{ effect: 'timeout', count: 1, hangMs: 10 }],
      },
    });
    expect(parseFaults({})).toEqual({ apiKey: undefined, faults: {} });
  });

  it.each([
    [{ positionVisibilityLag: 5 }],
    [{ positionVisibilityLagMs: -1 }],
    [{ orderCreate: [{ effect: 'explode' }] }],
    [{ orderCreate: [{ effect: 'http500', count: 0 }] }],
    [{ orderCreate: { effect: 'http500' } }],
    [{ positionList: [{ effect: 'rateLimit' }] }],
    [{ positionList: [{ effect: 'timeout', symbol: 'BTCUSDT' }] }],
  ])('refuses faults %j', (body) => {
    expect(() => parseFaults(body)).toThrow(ControlInputError);
  });
});
