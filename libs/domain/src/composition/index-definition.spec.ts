import type { InstrumentRules, InstrumentStatus } from './compose-basket';
import { validateIndexDefinition } from './index-definition';

const listed = (entries: [string, InstrumentStatus][]): Map<string, InstrumentRules> =>
  new Map(
    entries.map(([symbol, status]) => [
      symbol,
      { symbol, status, qtyStep: '0.001', minOrderQty: '0.001', maxMarketOrderQty: '100', minNotionalUsdt: '5' },
    ]),
  );
const instruments = listed([
  ['BTCUSDT', 'trading'],
  ['ETHUSDT', 'trading'],
  ['XRPUSDT', 'trading'],
  ['LUNAUSDT', 'closed'],
]);
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as { code: string; message: string; details: { field: string; issues: { code: string; field: string }[] } };
  }
  throw new Error('expected a refusal');
};

describe('validateIndexDefinition', () => {
  it('accepts listed, trading, distinct symbols with positive weights summing to 100, unchanged', () => {
    const components = [
      { symbol: 'BTCUSDT', weight: '62.5' },
      { symbol: 'ETHUSDT', weight: '37.50' },
    ];
    expect(validateIndexDefinition({ components, instruments, scaleWeights: false })).toEqual({
      components: [
        { symbol: 'BTCUSDT', weight: '62.5' },
        { symbol: 'ETHUSDT', weight: '37.5' },
      ],
      scaledFrom: null,
    });
  });

  it('refuses a symbol the exchange does not list, naming the field', () => {
    const e = refusal(() =>
      validateIndexDefinition({
        components: [
          { symbol: 'BTCUSDT', weight: '70' },
          { symbol: 'SOLUSDT', weight: '30' },
        ],
        instruments,
        scaleWeights: false,
      }),
    );
    expect(e).toMatchObject({ code: 'INDEX.SYMBOL_NOT_LISTED', details: { field: 'components[1].symbol' } });
    expect(e.message).toBe('components[1].symbol: SOLUSDT is not listed by the exchange as a USDT linear perpetual');
  });

  it('refuses a listed symbol that is not trading, naming its status', () => {
    const e = refusal(() =>
      validateIndexDefinition({ components: [{ symbol: 'LUNAUSDT', weight: '100' }], instruments, scaleWeights: false }),
    );
    expect(e).toMatchObject({ code: 'INDEX.SYMBOL_NOT_TRADING', details: { field: 'components[0].symbol' } });
    expect(e.message).toContain('LUNAUSDT is not trading (status closed)');
  });

  it('refuses a duplicated symbol and a weight that is zero, negative or not a number', () => {
    const e = refusal(() =>
      validateIndexDefinition({
        components: [
          { symbol: 'BTCUSDT', weight: '50' },
          { symbol: 'ETHUSDT', weight: '0' },
          { symbol: 'BTCUSDT', weight: '-5' },
          { symbol: 'XRPUSDT', weight: 'ten' },
        ],
        instruments,
        scaleWeights: true,
      }),
    );
    expect(e.details.issues).toEqual([
      expect.objectContaining({ code: 'INDEX.WEIGHT_NOT_POSITIVE', field: 'components[1].weight' }),
      expect.objectContaining({ code: 'INDEX.DUPLICATE_SYMBOL', field: 'components[2].symbol' }),
      expect.objectContaining({ code: 'INDEX.WEIGHT_NOT_POSITIVE', field: 'components[2].weight' }),
      expect.objectContaining({ code: 'INDEX.WEIGHT_NOT_POSITIVE', field: 'components[3].weight' }),
    ]);
    expect(e.code).toBe('INDEX.WEIGHT_NOT_POSITIVE');
    expect(e.message).toContain('components[2].symbol: BTCUSDT is already components[0]');
  });

  it('refuses weights that do not sum to 100 unless asked to scale them', () => {
    const components = [
      { symbol: 'BTCUSDT', weight: '40' },
      { symbol: 'ETHUSDT', weight: '30' },
      { symbol: 'XRPUSDT', weight: '20' },
    ];
    const e = refusal(() => validateIndexDefinition({ components, instruments, scaleWeights: false }));
    expect(e).toMatchObject({ code: 'INDEX.WEIGHTS_NOT_100', details: { field: 'components' } });
    expect(e.message).toContain('weights sum to 90, not 100');
  });

  it('scales weights to sum to exactly 100 when asked, keeping the given ones for the record', () => {
    const components = [
      { symbol: 'BTCUSDT', weight: '1' },
      { symbol: 'ETHUSDT', weight: '1' },
      { symbol: 'XRPUSDT', weight: '1' },
    ];
    const result = validateIndexDefinition({ components, instruments, scaleWeights: true });
    // 100/3 = 33.33333333 each, the 0.00000001 remainder on the first of the largest.
    expect(result.components.map((c) => c.weight)).toEqual(['33.33333334', '33.33333333', '33.33333333']);
    expect(result.scaledFrom).toEqual(components);
    const [bigger] = validateIndexDefinition({
      components: [
        { symbol: 'BTCUSDT', weight: '45' },
        { symbol: 'ETHUSDT', weight: '45' },
      ],
      instruments,
      scaleWeights: true,
    }).components;
    expect(bigger).toEqual({ symbol: 'BTCUSDT', weight: '50' });
  });

  it('refuses an empty definition', () => {
    expect(refusal(() => validateIndexDefinition({ components: [], instruments, scaleWeights: true }))).toMatchObject({
      code: 'INDEX.NO_COMPONENTS',
    });
  });
});
