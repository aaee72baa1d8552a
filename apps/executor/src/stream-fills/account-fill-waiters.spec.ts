import type { ExecutionView } from '@legwork/exchange';
import { AccountFillWaiters } from './account-fill-waiters';

const execution = (execId: string, quantity: string, orderLinkId = 'leg-0'): ExecutionView => ({
  execId,
  exchangeOrderId: 'o1',
  orderLinkId,
  symbol: 'ETHUSDT',
  side: 'buy',
  price: '2000',
  quantity,
  fee: '0',
  feeCurrency: 'USDT',
  executedAt: new Date(0),
  feeRate: '0',
  kind: 'trade',
});

// Waits here are real timers; the long ones (60 s) are never reached: each case settles earlier.
describe('legs waiting for their fills on an account stream', () => {
  it('takes a fill that arrived before the leg asked (the exchange pushes before the order answer is back)', async () => {
    const waiters = new AccountFillWaiters(60_000);
    waiters.onConnected();
    waiters.onExecutions([execution('e1', '0.5')], 0);
    const result = await waiters.wait('leg-0', '0.5', 60_000);
    expect(result.source).toBe('stream');
  });

  it('settles a waiting leg when the rest of its fill arrives, once, whatever comes twice', async () => {
    const waiters = new AccountFillWaiters(60_000);
    waiters.onConnected();
    const waiting = waiters.wait('leg-0', '0.5', 60_000);
    waiters.onExecutions([execution('e1', '0.2')], 0);
    waiters.onExecutions([execution('e1', '0.2')], 1);
    expect(waiters.waiting).toBe(1);
    waiters.onExecutions([execution('e2', '0.3'), execution('e2', '0.3')], 2);
    const result = await waiting;
    expect(result.source === 'stream' && result.fill.filledQuantity).toBe('0.5');
    expect(result.source === 'stream' && result.fill.fills.map((f) => f.execId)).toEqual(['e1', 'e2']);
    expect(waiters.waiting).toBe(0);
  });

  it('sends the leg to REST at once when the stream is cut while it waits, or is not connected', async () => {
    const waiters = new AccountFillWaiters(60_000);
    expect(await waiters.wait('leg-0', '0.5', 60_000)).toEqual({ source: 'rest', reason: 'not_connected' });
    waiters.onConnected();
    const waiting = waiters.wait('leg-0', '0.5', 60_000);
    waiters.onDisconnected();
    expect(await waiting).toEqual({ source: 'rest', reason: 'stream_down' });
    // What arrived before the cut still counts (an execution is a fact): a leg asking later gets it.
    waiters.onExecutions([execution('e9', '1', 'leg-1')], 0);
    expect((await waiters.wait('leg-1', '1', 60_000)).source).toBe('stream');
  });

  it('after a wait timed out, the next leg goes to REST at once until the stream speaks again', async () => {
    const waiters = new AccountFillWaiters(60_000);
    waiters.onConnected();
    expect(await waiters.wait('leg-0', '0.5', 5)).toEqual({ source: 'rest', reason: 'timeout' });
    expect(await waiters.wait('leg-1', '0.5', 60_000)).toEqual({ source: 'rest', reason: 'stream_silent' });
    waiters.onExecutions([execution('e1', '0.1', 'other')], 0);
    const waiting = waiters.wait('leg-1', '0.5', 60_000);
    waiters.onExecutions([execution('e2', '0.5', 'leg-1')], 1);
    expect((await waiting).source).toBe('stream');
  });

  it('without a wait, only what already arrived counts (a leg of an earlier attempt)', async () => {
    const waiters = new AccountFillWaiters(60_000);
    waiters.onConnected();
    expect(await waiters.wait('leg-0', '0.5', 0)).toEqual({ source: 'rest', reason: 'not_seen' });
  });
});
