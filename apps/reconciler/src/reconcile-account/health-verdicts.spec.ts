import { healthVerdicts } from './health-verdicts';
import type { ReconcileResult } from './reconcile-account.use-case';

describe('position health verdicts logged by a reconciliation', () => {
  it('logs a position turning ALTERED (with its deviations) or back IN_SYNC, and nothing for an unchanged one', () => {
    const result = {
      accountId: 'acc',
      positions: [
        {
          positionId: 'p1',
          health: 'ALTERED',
          previous: 'IN_SYNC',
          deviations: [{ symbol: 'BTCUSDT', expected: '0.01', actual: '0.005' }],
          leverageDeviations: [],
        },
        { positionId: 'p2', health: 'IN_SYNC', previous: 'ALTERED', deviations: [], leverageDeviations: [] },
        { positionId: 'p3', health: 'ALTERED', previous: 'ALTERED', deviations: [], leverageDeviations: [] },
      ],
      settledLegs: 0,
      fundingRecorded: 0,
      stuck: [],
      alerts: [],
    } as unknown as ReconcileResult;
    expect(healthVerdicts(result)).toEqual([
      {
        level: 'warn',
        message: 'position ALTERED',
        fields: {
          positionId: 'p1',
          from: 'IN_SYNC',
          to: 'ALTERED',
          deviations: [{ symbol: 'BTCUSDT', expected: '0.01', actual: '0.005' }],
          leverage: [],
        },
      },
      { level: 'info', message: 'position IN_SYNC', fields: { positionId: 'p2', from: 'ALTERED', to: 'IN_SYNC' } },
    ]);
  });
});
