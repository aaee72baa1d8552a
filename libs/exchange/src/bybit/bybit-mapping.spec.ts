import examples from './fixtures/bybit-v5-examples.json';
import {
  apiKeyPermissionsFromBybit,
  executionViewFromBybit,
  instrumentRulesFromBybit,
  instrumentStatusFromBybit,
  orderStateFromBybit,
  orderViewFromBybit,
  positionViewFromBybit,
  signedSize,
} from './bybit-mapping';

// Real response examples from the Bybit V5 docs (see fixtures/README.md).
const first = (key: keyof typeof examples) =>
  ((examples[key] as { response_example: { result: { list: Record<string, unknown>[] } } }).response_example.result.list[0] ??
    {}) as Record<string, unknown>;

describe('Bybit V5 mapping (real examples)', () => {
  it('maps the lot-size filter of every recorded USDT perpetual', () => {
    const rows = examples['instruments-linear-usdt'].list as Record<string, unknown>[];
    const btc = rows.map(instrumentRulesFromBybit).find((r) => r.symbol === 'BTCUSDT');
    expect(btc).toEqual({
      symbol: 'BTCUSDT',
      status: 'trading',
      qtyStep: '0.001',
      minOrderQty: '0.001',
      maxMarketOrderQty: '119',
      minNotionalUsdt: '5',
    });
    expect(rows.map(instrumentRulesFromBybit).map((r) => r.symbol)).toEqual(
      expect.arrayContaining(['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT']),
    );
  });

  it("maps the instrument status: only Trading trades (the docs' PreLaunch example row, and every other status)", () => {
    expect(
      instrumentRulesFromBybit({
        symbol: 'BIOUSDT',
        status: 'PreLaunch',
        lotSizeFilter: { qtyStep: '1', minOrderQty: '1', maxMktOrderQty: '14000', minNotionalValue: '5' },
      }),
    ).toMatchObject({
      symbol: 'BIOUSDT',
      status: 'pre_launch',
    });
    expect(['Trading', 'PreLaunch', 'Settling', 'Delivering', 'Closed', 'Halted', ''].map(instrumentStatusFromBybit)).toEqual([
      'trading',
      'pre_launch',
      'settling',
      'delivering',
      'closed',
      'other',
      'other',
    ]);
  });

  it('maps an open order from /v5/order/realtime', () => {
    expect(orderViewFromBybit(first('get_v5_order_realtime'))).toEqual({
      exchangeOrderId: 'fd4300ae-7847-404e-b947-b46980a4d140',
      orderLinkId: 'test-000005',
      symbol: 'ETHUSDT',
      side: 'buy',
      state: 'open',
      quantity: '0.1',
      filledQuantity: '0',
      averagePrice: null,
      rejectReason: null,
    });
  });

  it('maps a cancelled order from /v5/order/history with its reason', () => {
    expect(orderViewFromBybit(first('get_v5_order_history'))).toMatchObject({
      state: 'cancelled',
      filledQuantity: '0',
      rejectReason: 'EC_PostOnlyWillTakeLiquidity',
    });
  });

  it('maps an execution from /v5/execution/list', () => {
    expect(executionViewFromBybit(first('get_v5_execution_list'))).toEqual({
      execId: 'e0cbe81d-0f18-5866-9415-cf319b5dab3b',
      exchangeOrderId: '8c065341-7b52-4ca9-ac2c-37e31ac55c94',
      orderLinkId: '',
      symbol: 'ETHPERP',
      side: 'buy',
      price: '1190.15',
      quantity: '0.1',
      fee: '0.071409',
      feeCurrency: 'USDT',
      feeRate: '0.0006',
      executedAt: new Date(1672282722429),
      kind: 'trade',
      driftCause: 'trade',
    });
    expect(executionViewFromBybit({ ...first('get_v5_execution_list'), execType: 'BustTrade' })?.kind).toBe('exchange_close');
    // The REST row names its cause as the stream's does (the gap fill after a reconnect reads these).
    expect(executionViewFromBybit({ ...first('get_v5_execution_list'), execType: 'BustTrade' })?.driftCause).toBe('liquidation');
    expect(executionViewFromBybit({ ...first('get_v5_execution_list'), createType: 'CreateByClosing' })?.driftCause).toBe('manual_close');
    // Funding is its own kind since issue 16 (bybit-mapping.funding.spec.ts): never a trade, never a close.
    expect(executionViewFromBybit({ ...first('get_v5_execution_list'), execType: 'Funding' })?.kind).toBe('funding');
  });

  it('maps a position from /v5/position/list and signs its size', () => {
    const view = positionViewFromBybit(first('get_v5_position_list'));
    expect(view).toEqual({
      symbol: 'BTCUSD',
      hedgeSide: null,
      side: 'short',
      size: '300',
      entryPrice: '27464.50441675',
      markPrice: '28224.5',
      unrealisedPnlUsdt: '-0.00029413',
      leverage: '10',
      updatedAtMs: 1697673600012,
      cumRealisedPnlUsdt: '-0.00096902',
    });
    expect(signedSize(view).toString()).toBe('-300');
    expect(positionViewFromBybit({ symbol: 'BTCUSDT', side: '', size: '0' }).side).toBe('flat');
  });

  it('tells the sides of a hedge-mode account apart by positionIdx (0 one-way, 1 long side, 2 short side)', () => {
    // The recorded example is a one-way row (positionIdx 0); the hedge rows are that row moved to
    // each side, as Bybit lists a hedge-mode symbol: both sides, a flat one with side "".
    const row = first('get_v5_position_list');
    expect(row['positionIdx']).toBe(0);
    const longSide = positionViewFromBybit({ ...row, symbol: 'BTCUSDT', positionIdx: 1, side: 'Buy', size: '0.004' });
    const shortSide = positionViewFromBybit({ ...row, symbol: 'BTCUSDT', positionIdx: 2, side: 'Sell', size: '0.002' });
    const flatShort = positionViewFromBybit({ ...row, symbol: 'BTCUSDT', positionIdx: 2, side: '', size: '0' });
    expect([longSide, shortSide, flatShort].map((v) => [v.hedgeSide, v.side, v.size, signedSize(v).toString()])).toEqual([
      ['long', 'long', '0.004', '0.004'],
      ['short', 'short', '0.002', '-0.002'],
      ['short', 'flat', '0', '0'],
    ]);
    expect(positionViewFromBybit({ ...row, positionIdx: '1' }).hedgeSide).toBe('long');
    expect(() => positionViewFromBybit({ ...row, positionIdx: 3 })).toThrow('unexpected Bybit positionIdx: 3');
  });

  it('reads the leverage of a position row, flat or not, and null when the row has none', () => {
    // The recorded row (docs/v5/position/position.mdx) is held at 10x: what a hand-set account looks like.
    expect(positionViewFromBybit(first('get_v5_position_list')).leverage).toBe('10');
    expect(positionViewFromBybit({ symbol: 'BTCUSDT', side: '', size: '0', leverage: '1' })).toMatchObject({ side: 'flat', leverage: '1' });
    expect(positionViewFromBybit({ symbol: 'BTCUSDT', side: '', size: '0', leverage: '12.50' }).leverage).toBe('12.5');
    expect(positionViewFromBybit({ symbol: 'BTCUSDT', side: '', size: '0' }).leverage).toBeNull();
  });

  it("reads an API key's permissions from /v5/user/query-api", () => {
    const example = (examples as unknown as Record<string, { response_example: { result: Record<string, unknown> } }>)[
      'get_v5_user_query-api'
    ];
    expect(apiKeyPermissionsFromBybit(example?.response_example.result ?? {})).toEqual({
      readOnly: true,
      canWithdraw: false,
      canTradeContracts: true,
    });
    expect(
      apiKeyPermissionsFromBybit({
        readOnly: 0,
        permissions: { Wallet: ['AccountTransfer', 'Withdraw'], Derivatives: ['DerivativesTrade'] },
      }),
    ).toEqual({
      readOnly: false,
      canWithdraw: true,
      canTradeContracts: true,
    });
    expect(apiKeyPermissionsFromBybit({ readOnly: 0, permissions: { Spot: ['SpotTrade'] } }).canTradeContracts).toBe(false);
  });

  it('maps every order status', () => {
    expect(['Filled', 'Rejected', 'Cancelled', 'PartiallyFilledCanceled', 'New', 'PartiallyFilled'].map(orderStateFromBybit)).toEqual([
      'filled',
      'rejected',
      'cancelled',
      'cancelled',
      'open',
      'open',
    ]);
  });
});
