import {
  ControlInputError,
  parseFaults,
  parseInstrumentStatus,
  parseKeyAdd,
  parseLeverageChange,
  parseManualTrade,
  parseNewAccount,
  parsePositionModeChange,
  parsePrices,
} from './control-parse';

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
    expect(parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Sell', qty: '0.01' })).toMatchObject({
      side: 'Sell',
      reduceOnly: false,
      orderLinkId: '',
    });
    expect(
      parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Buy', qty: '1', reduceOnly: true, orderLinkId: 'manual-1' }).orderLinkId,
    ).toBe('manual-1');
    expect(() => parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Buy', qty: '1', orderLinkId: 'cmd-1' })).toThrow(
      ControlInputError,
    );
    expect(() => parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'buy', qty: '1' })).toThrow(ControlInputError);
  });

  it('reads a manual trade as a close from the app (CreateByClosing, always reduce-only) when told', () => {
    expect(parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Sell', qty: '0.01' }).createType).toBe('CreateByUser');
    expect(parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Sell', qty: '0.01', createType: 'CreateByClosing' })).toMatchObject({
      createType: 'CreateByClosing',
      reduceOnly: true,
    });
    expect(() => parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Sell', qty: '1', createType: 'CreateByLiq' })).toThrow(
      ControlInputError,
    );
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

  it('parses account settings, mode changes and leverage changes, refusing bad values', () => {
    const account = parseNewAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: '1', positionMode: 'Hedge', defaultLeverage: '2.5' });
    expect([account.positionMode, account.defaultLeverage?.toFixed()]).toEqual(['Hedge', '2.5']);
    expect(() => parseNewAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: '1', positionMode: 'hedge' })).toThrow(
      'positionMode must be "OneWay" or "Hedge"',
    );
    expect(() => parseNewAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: '1', defaultLeverage: '0.5' })).toThrow(
      'defaultLeverage must be at least 1',
    );
    expect(parsePositionModeChange({ apiKey: 'k', mode: 'OneWay' })).toEqual({ apiKey: 'k', mode: 'OneWay', symbol: undefined });
    expect(() => parsePositionModeChange({ apiKey: 'k', mode: 3 })).toThrow(ControlInputError);
    const both = parseLeverageChange({ apiKey: 'k', symbol: 'BTCUSDT', leverage: '3' });
    expect([both.setting.buyLeverage.toFixed(), both.setting.sellLeverage.toFixed()]).toEqual(['3', '3']);
    expect(() => parseLeverageChange({ apiKey: 'k', symbol: 'BTCUSDT', leverage: '3', buyLeverage: '2' })).toThrow(
      'give either leverage, or buyLeverage and sellLeverage',
    );
    expect(() => parseLeverageChange({ apiKey: 'k', symbol: 'BTCUSDT', buyLeverage: '2' })).toThrow('sellLeverage must be a decimal');
    expect(parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Buy', qty: '1', positionIdx: 2 }).positionIdx).toBe(2);
    expect(() => parseManualTrade({ apiKey: 'k', symbol: 'BTCUSDT', side: 'Buy', qty: '1', positionIdx: 3 })).toThrow(
      'positionIdx must be 0, 1 or 2',
    );
    expect(() => parseInstrumentStatus({ symbol: 'BTCUSDT', status: 'Halted' })).toThrow(/status must be one of/);
    expect(() => parseKeyAdd({ apiKey: 'k', newApiKey: 'k2' })).toThrow('newApiSecret must be a non-empty string');
  });
});
