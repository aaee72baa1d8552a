import { startTestStack, TestStack } from '@legwork/devstack';

// The gateway alone (no executor): what it writes for a request, and what it refuses to write.
describe('accepting an open request', () => {
  let t: TestStack;
  const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway'] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers 202 PENDING and commits the position with its command in the outbox', async () => {
    const user = await t.newUser();
    const res = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '250.5', direction: 'short' });
    expect(res.status).toBe(202);
    const [position] = await t.db.query('SELECT status, notional_usdt, direction FROM synthetic_positions WHERE id = $1', [
      res.body['positionId'],
    ]);
    expect(position).toEqual({ status: 'PENDING', notional_usdt: '250.50000000', direction: 'short' });
    const [command] = await t.db.query(`SELECT subject, payload FROM outbox WHERE payload->>'positionId' = $1`, [res.body['positionId']]);
    expect(command.subject).toBe(`${t.namespace}.trade.cmd.open`);
    expect(command.payload).toMatchObject({ schemaVersion: 1, type: 'OpenPosition', positionId: res.body['positionId'] });
  });

  it('returns the same position for the same Idempotency-Key, and refuses the key with another body', async () => {
    const user = await t.newUser();
    const request = { indexId: user.indexId, notionalUsdt: '100', direction: 'long' };
    const first = await user.client.openPosition(request, 'order-42');
    const second = await user.client.openPosition(request, 'order-42');
    expect(second.status).toBe(202);
    expect(second.body['positionId']).toBe(first.body['positionId']);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM synthetic_positions WHERE user_id = $1', [user.userId]);
    expect(n).toBe(1);
    const reused = await user.client.openPosition({ ...request, notionalUsdt: '200' }, 'order-42');
    expect(reused.status).toBe(409);
    expect(reused.body).toEqual({ error: { code: 'IDEMPOTENCY.KEY_REUSED', message: expect.any(String) } });
    // Another user may use the same key for their own request.
    const other = await t.newUser();
    const theirs = await other.client.openPosition({ ...request, indexId: other.indexId }, 'order-42');
    expect(theirs.body['positionId']).not.toBe(first.body['positionId']);
  });

  it.each([
    ['missing notional', { direction: 'long' }, 'notionalUsdt'],
    ['negative notional', { notionalUsdt: '-5', direction: 'long' }, 'notionalUsdt'],
    ['zero notional', { notionalUsdt: 0, direction: 'long' }, 'notionalUsdt'],
    ['exponent notional', { notionalUsdt: '1e309', direction: 'long' }, 'notionalUsdt'],
    ['huge notional', { notionalUsdt: '100000000', direction: 'long' }, 'notionalUsdt'],
    ['bad direction', { notionalUsdt: '10', direction: 'sideways' }, 'direction'],
    ['unknown field', { notionalUsdt: '10', direction: 'long', leverage: 10 }, 'leverage'],
  ])('refuses %s with 400, the field named, and no row', async (_name, partial, field) => {
    const user = await t.newUser();
    const before = [await count('synthetic_positions'), await count('outbox')];
    const res = await user.client.openPosition({ indexId: user.indexId, ...partial });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'VALIDATION.INVALID_FIELD', message: expect.any(String), location: 'body', field } });
    expect([await count('synthetic_positions'), await count('outbox')]).toEqual(before);
  });

  it('a validation error says where the problem is (path, query, header, body), the field and the reason', async () => {
    const user = await t.newUser();
    const error = async (res: Promise<{ status: number; body: Record<string, unknown> }>) => {
      const { status, body } = await res;
      return { status, ...(body['error'] as Record<string, unknown>) };
    };
    expect(await error(user.client.getPosition('not-a-uuid'))).toEqual({
      status: 400,
      code: 'VALIDATION.INVALID_FIELD',
      location: 'path',
      field: 'id',
      message: expect.stringMatching(/^id: .*UUID/i),
    });
    expect(await error(user.client.request('POST', '/api/positions/42/close'))).toMatchObject({
      status: 400,
      location: 'path',
      field: 'id',
    });
    expect(await error(user.client.request('GET', '/api/positions?limit=0'))).toMatchObject({
      status: 400,
      location: 'query',
      field: 'limit',
    });
    expect(
      await error(user.client.openPosition({ indexId: user.indexId, notionalUsdt: '10', direction: 'long' }, 'no spaces')),
    ).toMatchObject({
      status: 400,
      location: 'header',
      field: 'Idempotency-Key',
    });
    expect(await error(user.client.openPosition({ indexId: user.indexId, notionalUsdt: -5, direction: 'long' }))).toEqual({
      status: 400,
      code: 'VALIDATION.INVALID_FIELD',
      location: 'body',
      field: 'notionalUsdt',
      message: 'notionalUsdt: must be greater than 0',
    });
    expect(await error(user.client.openPosition({ indexId: user.indexId, notionalUsdt: 0.123456789, direction: 'long' }))).toMatchObject({
      field: 'notionalUsdt',
      message: 'notionalUsdt: must have at most 8 decimal places',
    });
  });

  it('a POST whose body is not declared JSON is refused as such (415), not as a missing field, and writes nothing', async () => {
    const user = await t.newUser();
    const before = await count('synthetic_positions');
    const json = JSON.stringify({ indexId: user.indexId, notionalUsdt: '10', direction: 'long' });
    const post = (headers: Record<string, string>, body?: string | Uint8Array) =>
      fetch(`${t.stack.gatewayUrl}/api/positions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}`, ...headers },
        body,
      });
    const refused = [
      await post({}),
      await post({}, new TextEncoder().encode(json)),
      await post({ 'content-type': 'text/plain' }, json),
      await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'),
    ];
    for (const res of refused) {
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({
        error: {
          code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
          location: 'header',
          field: 'content-type',
          message: expect.stringMatching(/^content-type: the request body must be application\/json/),
        },
      });
    }
    expect(await count('synthetic_positions')).toBe(before);
  });

  it('refuses malformed JSON, a missing token, an unknown index and a bad Idempotency-Key without a row', async () => {
    const user = await t.newUser();
    const before = await count('synthetic_positions');
    expect((await user.client.request('POST', '/api/positions', '{"indexId":')).status).toBe(400);
    const anonymous = await fetch(`${t.stack.gatewayUrl}/api/positions`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: 'AUTH.UNAUTHENTICATED', message: expect.any(String) } });
    const unknown = await user.client.openPosition({
      indexId: '00000000-0000-4000-8000-000000000000',
      notionalUsdt: '10',
      direction: 'long',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'INDEX.NOT_FOUND', message: expect.any(String), field: 'indexId' } });
    const badKey = await user.client.openPosition(
      { indexId: user.indexId, notionalUsdt: '10', direction: 'long' },
      'spaces are not allowed',
    );
    expect(badKey.status).toBe(400);
    expect(await count('synthetic_positions')).toBe(before);
  });

  it('judges opposite requests sent together one after the other (one-way mode): one direction is accepted, the other refused, and every connection comes back', async () => {
    const user = await t.newUser();
    const send = (direction: 'long' | 'short') => user.client.openPosition({ indexId: user.indexId, notionalUsdt: '100', direction });
    const answers = [];
    // Three rounds of twelve, more than the gateway's pool (10): a transaction left open would starve the later rounds.
    for (let round = 0; round < 3; round++) {
      answers.push(...(await Promise.all(Array.from({ length: 12 }, (_, i) => send(i % 2 === 0 ? 'long' : 'short')))));
    }
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 409);
    expect(accepted.length + refused.length).toBe(answers.length);
    for (const a of refused) expect((a.body as { error: { code: string } }).error.code).toBe('POSITION.OPPOSITE_DIRECTION_ONE_WAY');
    const rows = await t.db.query('SELECT id, direction FROM synthetic_positions WHERE user_id = $1', [user.userId]);
    expect(new Set(rows.map((r: { direction: string }) => r.direction)).size).toBe(1);
    expect(rows).toHaveLength(accepted.length);
    expect(accepted.length).toBeGreaterThanOrEqual(18);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'positionId' = ANY($1::text[])`, [
      rows.map((r: { id: string }) => r.id),
    ]);
    expect(n).toBe(accepted.length);
  });

  it('legging: the request chooses, else the index default, else the global default (sequential); stored on the position', async () => {
    const user = await t.newUser();
    const legging = async (body: Record<string, unknown>) => {
      const res = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '100', direction: 'long', ...body });
      expect(res.status).toBe(202);
      const [row] = await t.db.query('SELECT legging FROM synthetic_positions WHERE id = $1', [res.body['positionId']]);
      return row.legging as string;
    };
    expect(await legging({})).toBe('sequential');
    expect(await legging({ legging: 'batch' })).toBe('batch');
    expect(await legging({ legging: 'sequential' })).toBe('sequential');
    await t.db.query(`UPDATE indices SET default_legging = 'batch' WHERE id = $1`, [user.indexId]);
    expect(await legging({})).toBe('batch');
    expect(await legging({ legging: 'sequential' })).toBe('sequential');
  });

  it('refuses an unknown legging with 400 VALIDATION.INVALID_FIELD naming the field, and no row', async () => {
    const user = await t.newUser();
    const before = [await count('synthetic_positions'), await count('outbox')];
    const res = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '10', direction: 'long', legging: 'parallel' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'VALIDATION.INVALID_FIELD', message: expect.stringMatching(/sequential.*batch/), location: 'body', field: 'legging' },
    });
    expect([await count('synthetic_positions'), await count('outbox')]).toEqual(before);
  });
});
