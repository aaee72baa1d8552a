import Decimal from 'decimal.js';
import { startTestStack, TestStack } from '@legwork/devstack';

type Leg = { symbol: string; purpose: string; status: string; quantity: string; unwindOutcome: string | null };

// Seen in the soak (seed 776119542): while the position list lagged the fills, a basket B on the
// same account filled its legs; basket A's close read the lagging list (A's exposure only), counted
// B's fresh fills as B's, found nothing left for A and settled every leg `already_flat`. A was
// CLOSED, its whole exposure left on the exchange, untracked. A list older than the account's
// latest fill in a slot cannot say what is left there: the close reads it again until it is newer.
describe('a close while the position list lags a neighbouring basket’s fills', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({
      services: ['bybit-sim', 'gateway', 'executor'],
      env: { VERIFY_TIMEOUT_MS: '10000', VERIFY_INITIAL_DELAY_MS: '100', VERIFY_MAX_DELAY_MS: '500' },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('closes the whole basket once the list catches up: nothing skipped, no shortfall, the neighbour untouched', async () => {
    const user = await t.newUser();
    const open = async () => {
      const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
      return String(body['positionId']);
    };
    const a = await open();
    await user.client.waitForStatus(a, ['ACTIVE']);
    // From now on the list shows the account as it was 3 s earlier: A's fills are older than that.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await t.sim.setFaults({ apiKey: user.apiKey, positionVisibilityLagMs: 3000 });
    const b = await open();
    // B's legs are filled and recorded; its fills are not in the position list for 3 s yet.
    for (;;) {
      const seen = (await user.client.request('GET', `/api/positions/${b}`)).body as { status: string; legs: Leg[] };
      if (seen.legs.length === 5 && seen.legs.every((l) => l.status === 'FILLED')) {
        expect(seen.status).toBe('EXECUTING');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await user.client.request('POST', `/api/positions/${a}/close`)).status).toBe(202);

    const closedA = await user.client.waitForStatus(a, ['CLOSED', 'ACTIVE', 'FAILED'], 60_000);
    expect(closedA['status']).toBe('CLOSED');
    const legs = closedA['legs'] as Leg[];
    const opens = legs.filter((l) => l.purpose === 'open');
    const closes = legs.filter((l) => l.purpose === 'close');
    expect(closes.map((l) => l.unwindOutcome)).toEqual(['closed', 'closed', 'closed', 'closed', 'closed']);
    const sized = (l: Leg) => [l.symbol, new Decimal(l.quantity).toString()];
    expect(closes.map(sized)).toEqual(opens.map(sized));
    expect((await t.alerts()).filter((x) => x.positionId === a && x.kind === 'close.shortfall')).toEqual([]);

    // B's exposure is all there is left, and B closes whole.
    const activeB = await user.client.waitForStatus(b, ['ACTIVE'], 60_000);
    await t.sim.setFaults({ apiKey: user.apiKey, positionVisibilityLagMs: 0 });
    expect((await user.client.request('POST', `/api/positions/${b}/close`)).status).toBe(202);
    const closedB = await user.client.waitForStatus(b, ['CLOSED', 'ACTIVE', 'FAILED'], 60_000);
    expect((closedB['legs'] as Leg[]).filter((l) => l.purpose === 'close').map((l) => l.unwindOutcome)).toEqual(
      (activeB['legs'] as Leg[]).map(() => 'closed'),
    );
    expect((await t.sim.account(user.apiKey)).positions).toEqual([]);
  });
});
