import { REQUEST_LOG_CAPACITY, RequestLog } from './request-log';

const entry = (path: string) => ({
  time: 0,
  method: 'POST',
  path,
  apiKey: 'k',
  symbol: null,
  side: null,
  qty: null,
  orderLinkId: null,
  reduceOnly: null,
  positionIdx: null,
});

describe('RequestLog paging', () => {
  it('returns only entries after afterSeq, so a reader never reads one twice', () => {
    const log = new RequestLog();
    for (let i = 0; i < 5; i += 1) log.record(entry(i % 2 === 0 ? '/v5/order/create' : '/v5/position/list'));
    expect(log.list({ afterSeq: 3 }).map((e) => e.seq)).toEqual([4, 5]);
    expect(log.list({ afterSeq: 0, path: '/v5/order/create' }).map((e) => e.seq)).toEqual([1, 3, 5]);
    expect(log.oldestSeq()).toBe(1);
  });

  it('reports the oldest kept entry once the capacity bound drops older ones', () => {
    const log = new RequestLog();
    expect(log.oldestSeq()).toBe(0);
    for (let i = 0; i < REQUEST_LOG_CAPACITY + 7; i += 1) log.record(entry('/v5/order/create'));
    expect(log.oldestSeq()).toBe(8);
    expect(log.list({ afterSeq: 2 })[0]?.seq).toBe(8);
  });
});
