import { findFreePort, SseClient, SseEvent, startTestStack, TestStack } from '@legwork/devstack';

type Data = Record<string, unknown>;
const data = (e: SseEvent) => JSON.parse(e.data) as Data;
const statuses = (events: SseEvent[], positionId: string) =>
  events.filter((e) => e.event === 'position.status' && data(e)['positionId'] === positionId).map((e) => String(data(e)['status']));
/** A decimal string as the API writes it: plain, no trailing zeros. */
const PLAIN = /^(0|[1-9]\d*)(\.\d*[1-9])?$/;
const ids = (events: SseEvent[]) => events.map((e) => BigInt(e.id));

// GET /api/positions/events: a frontend's live view of its own positions, resumable without a gap.
describe('position events (SSE)', () => {
  let t: TestStack;
  const streams: SseClient[] = [];
  beforeAll(async () => {
    t = await startTestStack({
      services: ['bybit-sim', 'gateway', 'executor', 'reconciler'],
      env: { RECONCILER_CRON: '0 0 1 1 *' },
      serviceEnv: { gateway: { GATEWAY_EVENT_HEARTBEAT_MS: '300', GATEWAY_EVENT_STREAMS_PER_USER: '2' } },
    });
  });
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  afterAll(async () => {
    await t?.stop();
  });

  async function connect(token: string | null, lastEventId?: string, gatewayUrl = t.stack.gatewayUrl) {
    const stream = await SseClient.open(`${gatewayUrl}/api/positions/events`, {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    });
    streams.push(stream);
    return stream;
  }

  it('streams PENDING → EXECUTING → ACTIVE with the fills, resumes after a reconnect exactly, and never shows another user', async () => {
    const alice = await t.newUser();
    const bob = await t.newUser();
    const aliceStream = await connect(alice.token);
    const bobStream = await connect(bob.token);
    expect([aliceStream.status, aliceStream.headers.get('content-type')]).toEqual([200, 'text/event-stream; charset=utf-8']);
    await aliceStream.until('the opening frame', () => aliceStream.retryMs !== null);
    expect([aliceStream.retryMs, aliceStream.lastEventId]).toEqual([3000, '0']);

    const opened = await alice.client.openPosition({ indexId: alice.indexId, notionalUsdt: '1000', direction: 'long' });
    const positionId = String(opened.body['positionId']);
    await aliceStream.until('ACTIVE', (events) => statuses(events, positionId).includes('ACTIVE'));
    expect(statuses(aliceStream.events, positionId)).toEqual(['PENDING', 'EXECUTING', 'ACTIVE']);
    const first = aliceStream.events.find((e) => e.event === 'position.status');
    expect(data(first as SseEvent)).toEqual({ positionId, status: 'PENDING', from: null, reason: 'accepted', at: expect.any(String) });
    // Every recorded fill, before ACTIVE, with decimals as strings.
    const fills = aliceStream.events.filter((e) => e.event === 'position.fill');
    const trades: { n: string }[] = await t.db.query('SELECT count(*)::text AS n FROM trades WHERE position_id = $1', [positionId]);
    expect(fills.length).toBe(Number(trades[0]?.n));
    expect(fills.map((f) => data(f)['symbol']).sort()).toEqual(['BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'LTCUSDT', 'XRPUSDT']);
    for (const f of fills) {
      expect(data(f)).toMatchObject({ positionId, side: 'buy', purpose: 'open', quantity: expect.stringMatching(PLAIN) });
      expect(data(f)['price']).toEqual(expect.stringMatching(PLAIN));
      expect(data(f)['fee']).toEqual(expect.stringMatching(/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/));
    }
    const active = aliceStream.events.findIndex((e) => e.event === 'position.status' && data(e)['status'] === 'ACTIVE');
    expect(aliceStream.events.slice(active).filter((e) => e.event === 'position.fill')).toEqual([]);
    expect(ids(aliceStream.events)).toEqual([...ids(aliceStream.events)].sort((a, b) => (a < b ? -1 : 1)));

    // Disconnect; meanwhile the position alters, is reconciled and closed, and bob trades too.
    const resumeFrom = aliceStream.lastEventId;
    aliceStream.close();
    await t.sim.manualTrade({ apiKey: alice.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.003', reduceOnly: true });
    await t.scan('reconcile');
    const bobOpened = await bob.client.openPosition({ indexId: bob.indexId, notionalUsdt: '1000', direction: 'short' });
    const bobPositionId = String(bobOpened.body['positionId']);
    await alice.client.request('POST', `/api/positions/${positionId}/close`);
    await alice.client.waitForStatus(positionId, ['CLOSED']);
    await bob.client.waitForStatus(bobPositionId, ['ACTIVE']);

    const resumed = await connect(alice.token, resumeFrom);
    await resumed.until('CLOSED', (events) => statuses(events, positionId).includes('CLOSED'));
    await resumed.until('a heartbeat', () => resumed.comments > 0);
    // Exactly what alice's log holds after the id she had: no gap, no duplicate, in order.
    const logged: { seq: string }[] = await t.db.query(
      'SELECT e.seq::text AS seq FROM position_events e WHERE e.user_id = $1 AND e.seq > $2 ORDER BY e.seq',
      [alice.userId, resumeFrom],
    );
    expect(resumed.events.map((e) => e.id)).toEqual(logged.map((r) => r.seq));
    expect(ids(resumed.events).every((id) => id > BigInt(resumeFrom))).toBe(true);
    expect(statuses(resumed.events, positionId)).toEqual(['CLOSING', 'CLOSED']);
    const deviation = resumed.events.find((e) => e.event === 'position.deviation');
    expect(data(deviation as SseEvent)).toMatchObject({ positionId, symbol: 'BTCUSDT', change: 'opened', kind: 'quantity' });
    expect(resumed.events.some((e) => e.event === 'alert' && data(e)['positionId'] === positionId)).toBe(true);
    expect(resumed.events.filter((e) => e.event === 'position.fill' && data(e)['purpose'] === 'close').length).toBeGreaterThan(0);

    // Bob saw his own position's life and nothing of alice's.
    await bobStream.until("bob's ACTIVE", (events) => statuses(events, bobPositionId).includes('ACTIVE'));
    expect(statuses(bobStream.events, bobPositionId)).toEqual(['PENDING', 'EXECUTING', 'ACTIVE']);
    expect([...new Set(bobStream.events.map((e) => data(e)['positionId']))]).toEqual([bobPositionId]);
    expect([...new Set([...aliceStream.events, ...resumed.events].map((e) => data(e)['positionId']))]).toEqual([positionId]);
  });

  it('refuses without a token (401) and a malformed Last-Event-ID (400 naming the header), in the API error shape', async () => {
    const anonymous = await connect(null);
    expect([anonymous.status, anonymous.errorBody]).toEqual([
      401,
      { error: { code: 'AUTH.UNAUTHENTICATED', message: expect.any(String) } },
    ]);
    const user = await t.newUser();
    // Ill-formed, or after the user's latest event (ids are never sent ahead of the log).
    for (const bad of ['abc', '-1', '1.5', '99999999999999999999', '', '999999999']) {
      const refused = await connect(user.token, bad);
      expect([bad, refused.status, refused.errorBody]).toEqual([
        bad,
        400,
        { error: { code: 'VALIDATION.INVALID_FIELD', message: expect.any(String), location: 'header', field: 'Last-Event-ID' } },
      ]);
    }
    const withQuery = await SseClient.open(`${t.stack.gatewayUrl}/api/positions/events?since=5`, { authorization: `Bearer ${user.token}` });
    streams.push(withQuery);
    expect([withQuery.status, withQuery.errorBody]).toEqual([
      400,
      { error: { code: 'VALIDATION.INVALID_FIELD', message: expect.any(String), location: 'query', field: 'since' } },
    ]);
    expect((await connect(user.token, '0')).status).toBe(200); // a user with no event yet resumes from 0
  });

  it('caps open streams per user (429), frees a slot when a client goes, and leaks no stream or listener', async () => {
    const user = await t.newUser();
    const other = await t.newUser();
    const a = await connect(user.token);
    const b = await connect(user.token);
    const third = await connect(user.token);
    expect([third.status, third.errorBody]).toEqual([429, { error: { code: 'EVENTS.TOO_MANY_STREAMS', message: expect.any(String) } }]);
    expect((await connect(other.token)).status).toBe(200); // the cap is per user
    a.close();
    await expect(
      (async () => {
        for (let i = 0; i < 100; i += 1) {
          const again = await connect(user.token);
          if (again.status === 200) return 200;
          await new Promise((r) => setTimeout(r, 100));
        }
        return 429;
      })(),
    ).resolves.toBe(200);
    b.close();
    streams.splice(0).forEach((s) => s.close());
    const openStreams = async () => {
      const metrics = await (await fetch(`${t.stack.gatewayUrl}/metrics`)).text();
      return /^position_event_streams\S* (\d+)/m.exec(metrics)?.[1];
    };
    for (let i = 0; i < 100 && (await openStreams()) !== '0'; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await openStreams()).toBe('0');
    const listeners: { n: string }[] = await t.db.query(
      "SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'legwork-listen'",
    );
    expect(listeners[0]?.n).toBe('1'); // one per gateway, whatever the number of streams
  });

  it('a second gateway replica streams what the first one accepted, and ends its streams when it stops', async () => {
    const user = await t.newUser();
    const port = await findFreePort();
    const replica = await t.stack.startService('gateway', { GATEWAY_PORT: String(port) });
    const stream = await connect(user.token, undefined, `http://127.0.0.1:${port}`);
    expect(stream.status).toBe(200);
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const positionId = String(body['positionId']);
    await stream.until('ACTIVE on the other replica', (events) => statuses(events, positionId).includes('ACTIVE'));
    expect(statuses(stream.events, positionId)).toEqual(['PENDING', 'EXECUTING', 'ACTIVE']);
    // SIGTERM: the open stream must not hold the server open (else SIGKILL after the grace); Nest
    // re-raises the signal once its shutdown hooks ran. The client sees the end.
    expect(await replica.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    await stream.until('the end of the stream', () => stream.closed, 10_000);
  });
});
