import type { PositionView } from '@legwork/exchange';
import type { OrderRecord } from '@legwork/persistence';
import { heldPosition } from '../testing/held-position.fixture';
import { readAndDecideUnwind, UnwindReads } from './unwind-view';

// Soak seed 669970778, one account, DOGEUSDT one-way: our basket holds 1,206 DOGE and is being
// closed; a neighbouring basket's 2,539 DOGE buy fills while the close reads. Before the fill the
// exchange holds 38,876 (ours and older neighbours' 37,670), last changed at T0; the fill at T1.
const T0 = Date.parse('2026-11-30T04:17:11.000Z');
const T1 = Date.parse('2026-11-30T04:17:25.839Z');
const closeLeg = { symbol: 'DOGEUSDT', side: 'sell', hedgeSide: null, quantity: '1206' } as OrderRecord;

const holding = (id: string, quantity: string) =>
  heldPosition(id, { symbol: 'DOGEUSDT', quantity, entryPrice: '0.12', heldSince: new Date(T0) });
const view = (size: string, updatedAtMs: number): PositionView => ({
  symbol: 'DOGEUSDT',
  hedgeSide: null,
  side: 'long',
  size,
  entryPrice: null,
  markPrice: null,
  unrealisedPnlUsdt: null,
  leverage: null,
  updatedAtMs,
});

/** The account as each read sees it; the neighbour's fill lands (on the exchange and in the ledger) just before read number `landsBefore`. */
function account(landsBefore: number): UnwindReads {
  let reads = 0;
  const filled = () => reads >= landsBefore;
  const next = () => (reads += 1);
  return {
    exchangePosition: async () => (next(), filled() ? view('41415', T1) : view('38876', T0)),
    accountPositions: async () => (
      next(),
      [holding('ours', '1206'), holding('older', '37670'), ...(filled() ? [holding('neighbour', '2539')] : [])]
    ),
    latestFillAt: async () => (next(), new Date(filled() ? T1 : T0)),
  };
}

describe('readAndDecideUnwind: a neighbour fills while the close reads', () => {
  it.each([1, 2, 3, 4])(
    'sends our whole 1,206 DOGE or waits — never skips or caps it — when the fill lands before read %i',
    async (landsBefore) => {
      const { decision } = await readAndDecideUnwind(closeLeg, 'ours', account(landsBefore));
      if (decision.action === 'send') expect(decision.quantity).toBe('1206');
      else expect(decision.action).toBe('wait');
    },
  );

  it('waits when the fill lands after the list and before the ledger: the list is older than a fill the others count', async () => {
    const { decision, others } = await readAndDecideUnwind(closeLeg, 'ours', account(2));
    expect(others.quantity).toBe('40209');
    expect(decision).toMatchObject({ action: 'wait' });
  });
});
