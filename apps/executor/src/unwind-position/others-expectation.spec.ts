import type { AccountPosition, OrderRecord } from '@legwork/persistence';
import { heldPosition } from '../testing/held-position.fixture';
import { othersExpectation } from './others-expectation';

const position = (id: string, over: Partial<AccountPosition> = {}) =>
  heldPosition(id, { symbol: 'BTCUSDT', quantity: '0.005', entryPrice: '65000' }, over);
const closeLeg = { symbol: 'BTCUSDT', side: 'sell', hedgeSide: null } as OrderRecord;

describe('othersExpectation', () => {
  it("counts the other positions' legs in the slot and names their unsettled unwind orders there", () => {
    const others = othersExpectation(
      [
        position('mine'),
        position('closing', {
          unsettledUnwinds: [
            { symbol: 'BTCUSDT', hedgeSide: null, orderLinkId: 'lwClosingBtc' },
            { symbol: 'ETHUSDT', hedgeSide: null, orderLinkId: 'lwClosingEth' },
          ],
        }),
      ],
      'mine',
      closeLeg,
    );
    expect(others).toEqual({
      quantity: '0.005',
      positions: [{ positionId: 'closing', quantity: '0.005' }],
      unsettledUnwinds: [{ positionId: 'closing', orderLinkId: 'lwClosingBtc' }],
    });
  });

  it('says nothing of unsettled orders when there are none in the slot (or only our own)', () => {
    const mine = position('mine', { unsettledUnwinds: [{ symbol: 'BTCUSDT', hedgeSide: null, orderLinkId: 'lwMine' }] });
    expect(othersExpectation([mine, position('other')], 'mine', closeLeg)).toEqual({
      quantity: '0.005',
      positions: [{ positionId: 'other', quantity: '0.005' }],
    });
  });
});
