import { orphanVerdicts } from './orphan-verdicts';
import type { OrphanFinding, OrphanScanResult } from './scan-orphans.use-case';

const finding = (symbol: string, status: OrphanFinding['status'], consecutiveScans: number): OrphanFinding => ({
  accountId: 'acc',
  symbol,
  hedgeSide: null,
  side: 'long',
  size: '500',
  status,
  consecutiveScans,
  firstSeenAt: '2026-11-29T10:00:00.000Z',
  origin: status === 'confirmed' ? 'manual_trade' : null,
  entryPrice: null,
  markPrice: null,
  unrealisedPnlUsdt: '1.5',
});

describe('orphan verdicts logged by a scan', () => {
  it('logs each change once: suspected on first sighting, confirmed, resolved, dropped; nothing for an unchanged orphan', () => {
    const confirmed = finding('ETHUSDT', 'confirmed', 2);
    const result: OrphanScanResult = {
      accountId: 'acc',
      orphans: [finding('TRXUSDT', 'suspected', 1), confirmed, finding('XRPUSDT', 'confirmed', 5)],
      newlyConfirmed: [confirmed],
      resolved: [{ symbol: 'DOGEUSDT', hedgeSide: null, side: 'short', size: '10' }],
      dropped: [{ symbol: 'LTCUSDT', hedgeSide: 'long', side: 'long', size: '1' }],
      alerts: [],
    };
    expect(orphanVerdicts(result).map((v) => [v.level, v.message, v.fields['symbol']])).toEqual([
      ['info', 'orphan suspected', 'TRXUSDT'],
      ['warn', 'orphan confirmed', 'ETHUSDT'],
      ['info', 'orphan resolved', 'DOGEUSDT'],
      ['info', 'orphan dropped: gone before confirmation', 'LTCUSDT'],
    ]);
    expect(orphanVerdicts(result)[1]?.fields).toMatchObject({
      side: 'long',
      size: '500',
      origin: 'manual_trade',
      unrealisedPnlUsdt: '1.5',
    });
  });
});
