// One connection's protocol: the answers to auth, subscribe, unsubscribe, ping and unknown ops,
// and the inactivity rule with max_active_time.
import examples from '../testing/fixtures/bybit-v5-stream-examples.json';
import { AuthOutcome } from './stream-auth';
import { DEFAULT_MAX_ACTIVE_MS, StreamSession, maxActiveMs } from './stream-session';

const T0 = 1_700_000_000_000;
const accept = (): AuthOutcome => ({ ok: true, apiKey: 'k1b' });
const refuse = (): AuthOutcome => ({ ok: false, retMsg: 'Params Error', reason: 'expired' });
const identity = (): string => 'k1';

function session(): StreamSession {
  return new StreamSession('conn-1', T0, DEFAULT_MAX_ACTIVE_MS);
}

describe('private stream session', () => {
  it('answers ping with pong and the server time, echoing req_id only when given', () => {
    const s = session();
    expect(s.handle('{"op":"ping","req_id":"100001"}', T0 + 5, accept, identity)).toEqual([
      { op: 'pong', args: [String(T0 + 5)], req_id: '100001', conn_id: 'conn-1' },
    ]);
    expect(s.handle('{"op":"ping"}', T0 + 6, accept, identity)).toEqual([{ op: 'pong', args: [String(T0 + 6)], conn_id: 'conn-1' }]);
  });

  it('refuses subscribes before auth, keeps a refused auth unauthenticated, and never undoes an auth', () => {
    const s = session();
    const subscribe = JSON.stringify({ op: 'subscribe', args: ['order', 'wallet'] });
    expect(s.handle(subscribe, T0, accept, identity)).toEqual([
      { success: false, ret_msg: 'Request not authorized', op: 'subscribe', conn_id: 'conn-1' },
    ]);
    expect(s.handle('{"op":"auth","args":[]}', T0, refuse, identity)).toEqual([
      { success: false, ret_msg: 'Params Error', op: 'auth', conn_id: 'conn-1' },
    ]);
    expect(s.apiKey).toBeUndefined();
    expect(s.lastAuthRefusal).toBe('expired');
    expect(s.handle('{"op":"auth","args":[],"req_id":"a"}', T0, accept, identity)).toEqual([
      { success: true, ret_msg: '', op: 'auth', req_id: 'a', conn_id: 'conn-1' },
    ]);
    expect(s.apiKey).toBe('k1');
    s.handle('{"op":"auth","args":[]}', T0, refuse, identity);
    expect(s.apiKey).toBe('k1');
    expect(s.handle(subscribe, T0, accept, identity)).toEqual([{ success: true, ret_msg: '', op: 'subscribe', conn_id: 'conn-1' }]);
    expect(s.topics).toEqual(['order', 'wallet']);
    expect(s.topicNamesFor('order')).toEqual(['order']);
    s.handle(JSON.stringify({ op: 'unsubscribe', args: ['order'] }), T0, accept, identity);
    expect(s.topics).toEqual(['wallet']);
  });

  it("answers with the docs' private-channel examples' fields", () => {
    const s = session();
    const keys = (answers: Record<string, unknown>[]): string[] => Object.keys(answers[0] ?? {}).sort();
    expect(keys(s.handle('{"op":"auth","args":[]}', T0, accept, identity))).toEqual(Object.keys(examples.auth).sort());
    expect(keys(s.handle('{"op":"subscribe","args":["order"]}', T0, accept, identity))).toEqual(
      Object.keys(examples.subscribePrivate).sort(),
    );
    expect(keys(s.handle('{"op":"ping","req_id":"test"}', T0, accept, identity))).toEqual(Object.keys(examples.pongPrivate).sort());
  });

  it('refuses an unknown op and a frame that is not a JSON object', () => {
    const s = session();
    expect(s.handle('{"op":"order.create","req_id":"x"}', T0, accept, identity)).toEqual([
      { success: false, ret_msg: 'error:invalid op', op: 'order.create', req_id: 'x', conn_id: 'conn-1' },
    ]);
    expect(s.handle('not json', T0, accept, identity)).toEqual([
      { success: false, ret_msg: 'error:invalid op', op: '', conn_id: 'conn-1' },
    ]);
  });

  it('reads max_active_time in seconds or minutes, within 30 s – 600 s', () => {
    expect([maxActiveMs(null), maxActiveMs('45s'), maxActiveMs('1m'), maxActiveMs('10s'), maxActiveMs('20m'), maxActiveMs('soon')]).toEqual(
      [600_000, 45_000, 60_000, 30_000, 600_000, 600_000],
    );
  });

  it('is idle once nothing went either way for max_active_time; a frame or pushed data resets it', () => {
    const s = new StreamSession('conn-1', T0, 30_000);
    expect(s.isIdle(T0 + 29_999)).toBe(false);
    expect(s.isIdle(T0 + 30_000)).toBe(true);
    s.handle('{"op":"ping"}', T0 + 20_000, accept, identity);
    expect(s.isIdle(T0 + 49_999)).toBe(false);
    s.touch(T0 + 45_000);
    expect(s.isIdle(T0 + 74_999)).toBe(false);
    expect(s.isIdle(T0 + 75_000)).toBe(true);
  });
});
