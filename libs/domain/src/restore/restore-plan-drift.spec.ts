import { describeRestorePlanDrift, restorePlanDrift } from './restore-plan-drift';

describe('restore plan drift', () => {
  it('names each slot whose size moved since the snapshot, comparing decimals (not strings); a flat slot is 0', () => {
    const snapshot = { BTCUSDT: '0.003', ETHUSDT: '0.1000', 'XRPUSDT:short': '-24', DOGEUSDT: '0' };
    const now = new Map([
      ['BTCUSDT', '0.002'],
      ['ETHUSDT', '0.1'],
      ['XRPUSDT:short', '-14'],
    ]);
    const drift = restorePlanDrift(snapshot, now);
    expect(drift).toEqual([
      { slot: 'BTCUSDT', then: '0.003', now: '0.002' },
      { slot: 'XRPUSDT:short', then: '-24', now: '-14' },
    ]);
    expect(describeRestorePlanDrift(drift)).toBe(
      'the exchange changed since this plan was made (BTCUSDT: 0.003 then, 0.002 now; XRPUSDT:short: -24 then, -14 now); ask for a new plan',
    );
  });

  it('a slot closed since the snapshot reads 0 now; an unchanged exchange is no drift', () => {
    expect(restorePlanDrift({ BTCUSDT: '0.003' }, new Map())).toEqual([{ slot: 'BTCUSDT', then: '0.003', now: '0' }]);
    expect(restorePlanDrift({ BTCUSDT: '0.003', ETHUSDT: '0' }, new Map([['BTCUSDT', '0.003']]))).toEqual([]);
  });
});
