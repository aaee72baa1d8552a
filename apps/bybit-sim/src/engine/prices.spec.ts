import { Dec } from './decimal';
import { formatPrice, loadDefaultCatalogue } from './instruments';
import { DEFAULT_PRICES, PriceBook, WALK_MAX_STEP } from './prices';

const catalogue = loadDefaultCatalogue();
const path = (seed: number, ticks: number): string[][] => {
  const book = new PriceBook(catalogue, seed);
  const out: string[][] = [];
  for (let tick = 0; tick < ticks; tick += 1) {
    book.tick();
    out.push(book.all().map((entry) => entry.markPrice.toFixed()));
  }
  return out;
};

describe('mark prices', () => {
  it('start at the documented defaults for all 8 instruments', () => {
    const book = new PriceBook(catalogue, 1);
    expect(
      Object.fromEntries(book.all().map((entry) => [entry.symbol, formatPrice(catalogue.get(entry.symbol), entry.markPrice)])),
    ).toEqual(DEFAULT_PRICES);
  });

  it('walk deterministically per seed', () => {
    expect(path(42, 50)).toEqual(path(42, 50));
    expect(path(42, 50)).not.toEqual(path(43, 50));
  });

  it('move at most 5 bps (plus rounding to tick) per tick and stay on the tick grid', () => {
    const book = new PriceBook(catalogue, 9);
    for (let tick = 0; tick < 200; tick += 1) {
      const before = new Map(book.all().map((entry) => [entry.symbol, entry.markPrice]));
      book.tick();
      for (const entry of book.all()) {
        const instrument = catalogue.get(entry.symbol);
        const previous = before.get(entry.symbol) as Dec;
        expect(entry.markPrice.mod(instrument.tickSize).isZero()).toBe(true);
        expect(entry.markPrice.minus(previous).abs().lessThanOrEqualTo(previous.mul(WALK_MAX_STEP).plus(instrument.tickSize))).toBe(true);
      }
    }
  });

  it('pins a price set explicitly, rounded to tick, without disturbing the other symbols', () => {
    const pinned = new PriceBook(catalogue, 5);
    const free = new PriceBook(catalogue, 5);
    expect(pinned.set('BTCUSDT', new Dec('65000.5678')).toFixed()).toBe('65000.6');
    for (let tick = 0; tick < 20; tick += 1) {
      pinned.tick();
      free.tick();
    }
    expect(pinned.mark('BTCUSDT').toFixed()).toBe('65000.6');
    expect(pinned.mark('ETHUSDT').eq(free.mark('ETHUSDT'))).toBe(true);
    expect(pinned.entry('BTCUSDT').pinned).toBe(true);
  });

  it('reset unpins and replays the walk from the seed', () => {
    const book = new PriceBook(catalogue, 3);
    book.set('ETHUSDT', new Dec('1'));
    book.tick();
    const first = book.all().map((entry) => entry.markPrice.toFixed());
    book.reset();
    expect(book.entry('ETHUSDT').pinned).toBe(false);
    book.tick();
    expect(
      book
        .all()
        .map((entry) => entry.markPrice.toFixed())
        .slice(0, 1),
    ).toEqual(first.slice(0, 1));
  });
});
