// The instrument catalogue: the 8 real USDT linear perpetual rows in data/instruments-linear-usdt.json
// (see data/README.md for where they come from). The raw rows are served verbatim by
// /v5/market/instruments-info; the engine works on the parsed lot-size and price filters.
import instrumentsFile from '../../data/instruments-linear-usdt.json';
import { Dec } from './decimal';

/** A raw instruments-info row as Bybit returns it (docs/v5/market/instrument.mdx). */
export type RawInstrumentRow = Record<string, unknown>;

/**
 * The trading rules of one USDT linear perpetual, parsed from its instruments-info row.
 * Quantities are in base coin, prices and notionals in USDT.
 */
export interface Instrument {
  readonly symbol: string;
  readonly baseCoin: string;
  readonly quoteCoin: string;
  readonly settleCoin: string;
  readonly status: string;
  readonly tickSize: Dec;
  readonly minPrice: Dec;
  readonly maxPrice: Dec;
  readonly qtyStep: Dec;
  readonly minOrderQty: Dec;
  readonly maxOrderQty: Dec;
  readonly maxMktOrderQty: Dec;
  readonly minNotionalValue: Dec;
  /** leverageFilter: the range and step of set-leverage (docs/v5/market/instrument.mdx). */
  readonly minLeverage: Dec;
  readonly maxLeverage: Dec;
  readonly leverageStep: Dec;
  /**
   * Market-order price protection `x` of Bybit's price-limit rule (instruments-info
   * `riskParameters.priceLimitRatioX`, e.g. "0.01" for BTCUSDT): see order-book.ts protectionPrice.
   */
  readonly priceLimitRatioX: Dec;
  /** Decimals Bybit prints prices with (priceScale: "2" → "65000.00" although the tick is 0.10). */
  readonly priceDecimals: number;
  /** Decimals Bybit prints quantities with (those of the qtyStep text: "0.001" → 3). */
  readonly qtyDecimals: number;
  /** The row as served on the wire. */
  readonly raw: RawInstrumentRow;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(row: Record<string, unknown>, path: string): string {
  let cursor: unknown = row;
  for (const key of path.split('.')) {
    cursor = isRecord(cursor) ? cursor[key] : undefined;
  }
  if (typeof cursor !== 'string') throw new Error(`instrument row ${String(row['symbol'])}: ${path} is not a string`);
  return cursor;
}

/**
 * Parses one instruments-info row.
 *
 * @throws Error when a required filter field is missing (a corrupt data file must fail at boot)
 */
export function parseInstrument(row: unknown): Instrument {
  if (!isRecord(row)) throw new Error('instrument row is not an object');
  // Bybit's docs example serves fundingInterval as an integer (480); ccxt's recording stored a string.
  const fundingInterval = row['fundingInterval'];
  const raw: RawInstrumentRow = {
    ...row,
    fundingInterval: typeof fundingInterval === 'string' ? Number.parseInt(fundingInterval, 10) : fundingInterval,
  };
  return {
    symbol: field(row, 'symbol'),
    baseCoin: field(row, 'baseCoin'),
    quoteCoin: field(row, 'quoteCoin'),
    settleCoin: field(row, 'settleCoin'),
    status: field(row, 'status'),
    tickSize: new Dec(field(row, 'priceFilter.tickSize')),
    minPrice: new Dec(field(row, 'priceFilter.minPrice')),
    maxPrice: new Dec(field(row, 'priceFilter.maxPrice')),
    qtyStep: new Dec(field(row, 'lotSizeFilter.qtyStep')),
    minOrderQty: new Dec(field(row, 'lotSizeFilter.minOrderQty')),
    maxOrderQty: new Dec(field(row, 'lotSizeFilter.maxOrderQty')),
    maxMktOrderQty: new Dec(field(row, 'lotSizeFilter.maxMktOrderQty')),
    minNotionalValue: new Dec(field(row, 'lotSizeFilter.minNotionalValue')),
    minLeverage: new Dec(field(row, 'leverageFilter.minLeverage')),
    maxLeverage: new Dec(field(row, 'leverageFilter.maxLeverage')),
    leverageStep: new Dec(field(row, 'leverageFilter.leverageStep')),
    priceLimitRatioX: new Dec(field(row, 'riskParameters.priceLimitRatioX')),
    priceDecimals: Number.parseInt(field(row, 'priceScale'), 10),
    qtyDecimals: field(row, 'lotSizeFilter.qtyStep').split('.')[1]?.length ?? 0,
    raw,
  };
}

/** A price as Bybit prints it for the instrument ("65000.00"). */
export function formatPrice(instrument: Instrument, price: Dec): string {
  return price.toFixed(instrument.priceDecimals);
}

/** A quantity as Bybit prints it for the instrument ("0.010"). */
export function formatQty(instrument: Instrument, qty: Dec): string {
  return qty.toFixed(instrument.qtyDecimals);
}

/** Read-only lookup of the simulated instruments by Bybit symbol ("BTCUSDT"). */
export class InstrumentCatalogue {
  private readonly bySymbol: ReadonlyMap<string, Instrument>;

  constructor(readonly all: readonly Instrument[]) {
    this.bySymbol = new Map(all.map((instrument) => [instrument.symbol, instrument]));
  }

  /** @returns the instrument, or undefined for a symbol the simulator does not list */
  find(symbol: string): Instrument | undefined {
    return this.bySymbol.get(symbol);
  }

  /** @throws Error for an unknown symbol (engine callers check with {@link find} first) */
  get(symbol: string): Instrument {
    const instrument = this.bySymbol.get(symbol);
    if (instrument === undefined) throw new Error(`unknown instrument ${symbol}`);
    return instrument;
  }

  symbols(): string[] {
    return this.all.map((instrument) => instrument.symbol);
  }
}

/** The catalogue built from the bundled data file. */
export function loadDefaultCatalogue(): InstrumentCatalogue {
  const file: unknown = instrumentsFile;
  if (!isRecord(file) || !Array.isArray(file['list'])) throw new Error('instruments data file has no list');
  return new InstrumentCatalogue(file['list'].map(parseInstrument));
}
