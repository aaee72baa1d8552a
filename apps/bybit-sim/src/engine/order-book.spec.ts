import { Dec } from './decimal';
import { loadDefaultCatalogue } from './instruments';
import { DEFAULT_BOOK_SETTINGS, OrderBooks, levelQty, protectionPrice, walkBook } from './order-book';

const catalogue = loadDefaultCatalogue();
const BTC = catalogue.get('BTCUSDT');
const MARK = new Dec('65000');
const T0 = 1_700_000_000_000;

describe('order book', () => {
  it('quotes levels on the tick grid around the mark price, bids descending and asks ascending, sizes on the lot size', () => {
    const book = new OrderBooks(catalogue, 1).view(BTC, MARK, T0);
    expect(book.bids).toHaveLength(DEFAULT_BOOK_SETTINGS.depth);
    expect(book.asks).toHaveLength(DEFAULT_BOOK_SETTINGS.depth);
    expect(book.bids[0]?.price.toFixed()).toBe('64999.9');
    expect(book.asks[0]?.price.toFixed()).toBe('65000.1');
    expect(book.asks[1]?.price.toFixed()).toBe('65000.2');
    for (const side of [book.bids, book.asks]) {
      for (const level of side) {
        expect(level.price.mod(BTC.tickSize).isZero()).toBe(true);
        expect(level.qty.mod(BTC.qtyStep).isZero()).toBe(true);
        expect(level.qty.greaterThanOrEqualTo(BTC.minOrderQty)).toBe(true);
      }
    }
    expect(book.bids.every((level, index) => index === 0 || level.price.lessThan(book.bids[index - 1]?.price ?? 0))).toBe(true);
    expect(book.asks.every((level, index) => index === 0 || level.price.greaterThan(book.asks[index - 1]?.price ?? 0))).toBe(true);
  });

  it('sizes each level at 0.5–1.5 × the level notional, the same for the same seed, other sizes for another seed', () => {
    const sizes = (seed: number): string[] => new OrderBooks(catalogue, seed).view(BTC, MARK, T0).asks.map((level) => level.qty.toFixed());
    expect(sizes(7)).toEqual(sizes(7));
    expect(sizes(7)).not.toEqual(sizes(8));
    for (const qty of sizes(7)) {
      const notional = new Dec(qty).mul(MARK);
      expect(notional.greaterThanOrEqualTo(10_000 - 7) && notional.lessThanOrEqualTo(30_000)).toBe(true);
    }
    expect(levelQty(BTC, MARK, new Dec(1), 1000).toFixed()).toBe('0.001');
  });

  it('shapes the book by its settings: spread, depth, step between levels, per symbol', () => {
    const books = new OrderBooks(catalogue, 1);
    books.configure({ spreadTicks: 5, depth: 3, levelStepTicks: 10 }, 'BTCUSDT');
    const book = books.view(BTC, MARK, T0);
    expect(book.asks.map((level) => level.price.toFixed())).toEqual(['65000.3', '65001.3', '65002.3']);
    expect(book.bids.map((level) => level.price.toFixed())).toEqual(['64999.8', '64998.8', '64997.8']);
    expect(books.view(catalogue.get('ETHUSDT'), new Dec(3000), T0).asks).toHaveLength(DEFAULT_BOOK_SETTINGS.depth);
    expect(books.view(BTC, MARK, T0, 2).asks).toHaveLength(2);
  });

  it('walks a side best level first and stops at the limit price', () => {
    const levels = [
      { price: new Dec('100.1'), qty: new Dec('1') },
      { price: new Dec('100.2'), qty: new Dec('2') },
      { price: new Dec('100.3'), qty: new Dec('5') },
    ];
    expect(walkBook(levels, 'Buy', new Dec('2.5'), new Dec('101')).map((fill) => [fill.price.toFixed(), fill.qty.toFixed()])).toEqual([
      ['100.1', '1'],
      ['100.2', '1.5'],
    ]);
    expect(walkBook(levels, 'Buy', new Dec('10'), new Dec('100.2')).map((fill) => fill.qty.toFixed())).toEqual(['1', '2']);
    expect(walkBook(levels, 'Buy', new Dec('1'), new Dec('100'))).toEqual([]);
    const bids = [
      { price: new Dec('99.9'), qty: new Dec('1') },
      { price: new Dec('99.8'), qty: new Dec('1') },
    ];
    expect(walkBook(bids, 'Sell', new Dec('5'), new Dec('99.85')).map((fill) => fill.price.toFixed())).toEqual(['99.9']);
  });

  it('protects a market order at mark × (1 ± priceLimitRatioX), rounded inwards to the tick', () => {
    expect(BTC.priceLimitRatioX.toFixed()).toBe('0.01');
    expect(protectionPrice(BTC, MARK, 'Buy', BTC.priceLimitRatioX).toFixed()).toBe('65650');
    expect(protectionPrice(BTC, MARK, 'Sell', BTC.priceLimitRatioX).toFixed()).toBe('64350');
    expect(protectionPrice(BTC, new Dec('65000.3'), 'Buy', new Dec('0.00001')).toFixed()).toBe('65000.9');
    expect(protectionPrice(BTC, new Dec('65000.3'), 'Sell', new Dec('0.00001')).toFixed()).toBe('64999.7');
    const books = new OrderBooks(catalogue, 1);
    expect(books.priceLimitRatio(BTC).toFixed()).toBe('0.01');
    books.configure({ priceLimitRatio: new Dec('0.002') }, 'BTCUSDT');
    expect(books.priceLimitRatio(BTC).toFixed()).toBe('0.002');
  });

  it('takes what a trade filled and refills refillMs after the last trade on that side (at once by default)', () => {
    const books = new OrderBooks(catalogue, 1);
    const ask1 = books.view(BTC, MARK, T0).asks[0];
    if (ask1 === undefined) throw new Error('no ask');
    books.take('BTCUSDT', 'Buy', [{ price: ask1.price, qty: ask1.qty }], T0);
    expect(books.view(BTC, MARK, T0).asks[0]?.price.toFixed()).toBe(ask1.price.toFixed());
    expect(books.updateId('BTCUSDT')).toBe(2);

    books.reset();
    books.configure({ refillMs: 1000 });
    books.take('BTCUSDT', 'Buy', [{ price: ask1.price, qty: ask1.qty.minus(BTC.qtyStep) }], T0 + 10);
    expect(books.view(BTC, MARK, T0 + 500).asks[0]?.qty.toFixed()).toBe(BTC.qtyStep.toFixed());
    expect(books.view(BTC, MARK, T0 + 500).bids[0]?.qty.toFixed()).toBe(books.view(BTC, MARK, T0 + 5000).bids[0]?.qty.toFixed());
    books.take('BTCUSDT', 'Buy', [{ price: ask1.price, qty: BTC.qtyStep }], T0 + 600);
    expect(books.view(BTC, MARK, T0 + 1500).asks[0]?.price.toFixed()).toBe('65000.2');
    expect(books.view(BTC, MARK, T0 + 1600).asks[0]?.qty.toFixed()).toBe(ask1.qty.toFixed());
    books.reset();
    expect(books.settings('BTCUSDT')).toEqual(DEFAULT_BOOK_SETTINGS);
  });
});
