import { createHmac } from 'node:crypto';
import { authRequest, privateStreamUrl, readFrame, reconnectDelayMs } from './stream-protocol';

describe('private stream protocol', () => {
  it('signs auth as Bybit documents: HMAC-SHA256(secret, "GET/realtime" + expires)', () => {
    const request = JSON.parse(authRequest('key1', 'secret1', 1_700_000_000_000)) as { op: string; args: unknown[] };
    expect(request.op).toBe('auth');
    expect(request.args).toEqual([
      'key1',
      1_700_000_000_000,
      createHmac('sha256', 'secret1').update('GET/realtime1700000000000').digest('hex'),
    ]);
  });

  it('points at Bybit or the simulator by configuration', () => {
    expect(privateStreamUrl('mainnet', '')).toBe('wss://stream.bybit.com/v5/private');
    expect(privateStreamUrl('testnet', '')).toBe('wss://stream-testnet.bybit.com/v5/private');
    expect(privateStreamUrl('sim', 'http://127.0.0.1:8090/')).toBe('ws://127.0.0.1:8090/v5/private');
  });

  it('reads executions through the REST mapping: a trade is a fill, funding is not', () => {
    const row = { symbol: 'TRXUSDT', side: 'Buy', orderId: 'o1', orderLinkId: '', execId: 'e1', execPrice: '0.25', execQty: '500' };
    const frame = readFrame(
      JSON.stringify({
        id: 'm1',
        topic: 'execution',
        creationTime: 1_700_000_000_100,
        data: [
          { ...row, execType: 'Trade', execTime: '1700000000000' },
          { ...row, execType: 'Funding', execId: 'e2', execTime: '1700000000000' },
          { ...row, execType: 'SomethingNew', execId: 'e3', execTime: '1700000000000' },
        ],
      }),
    );
    expect(frame.kind).toBe('executions');
    if (frame.kind !== 'executions') return;
    expect(frame.creationTime).toBe(1_700_000_000_100);
    expect(frame.executions.map((e) => [e.execution.execId, e.execution.kind])).toEqual([
      ['e1', 'trade'],
      ['e2', 'funding'],
    ]);
    expect(frame.executions[0]?.execution.executedAt).toEqual(new Date(1_700_000_000_000));
  });

  it('reads answers and other topics', () => {
    expect(readFrame('{"success":false,"ret_msg":"Invalid apikey","op":"auth","conn_id":"c"}')).toEqual({
      kind: 'answer',
      op: 'auth',
      success: false,
      message: 'Invalid apikey',
    });
    expect(readFrame('{"op":"pong","args":["1"]}')).toMatchObject({ kind: 'answer', op: 'pong', success: true });
    expect(readFrame('{"id":"x","topic":"position","creationTime":5,"data":[]}')).toEqual({
      kind: 'topic',
      topic: 'position',
      creationTime: 5,
    });
    expect(() => readFrame('not json')).toThrow(SyntaxError);
  });

  it('backs off with full jitter: uniform up to base × 2^attempt, capped', () => {
    expect(reconnectDelayMs(0, 500, 30_000, 0)).toBe(0);
    expect(reconnectDelayMs(0, 500, 30_000, 0.999)).toBe(499);
    expect(reconnectDelayMs(3, 500, 30_000, 0.5)).toBe(2000);
    expect(reconnectDelayMs(10, 500, 30_000, 0.5)).toBe(15_000);
    expect(reconnectDelayMs(1000, 500, 30_000, 0.999)).toBe(29_970);
  });
});
