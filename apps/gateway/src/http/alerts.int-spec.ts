import { randomUUID } from 'node:crypto';
import { GatewayClient, startTestStack, TestStack } from '@legwork/devstack';
import { IdentityRepository, parseEncryptionKeys, SecretCipher } from '@legwork/persistence';
import { TEST_ENCRYPTION_KEYS } from '@legwork/devstack';

// GET /api/alerts: an operator sees every user's alerts, filtered and paged by an opaque cursor;
// a user still sees only their own.
describe('GET /api/alerts', () => {
  let t: TestStack;
  let operator: GatewayClient;
  let alice: Awaited<ReturnType<TestStack['newUser']>>;
  let bob: Awaited<ReturnType<TestStack['newUser']>>;
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 10, minute)).toISOString();

  const insert = (id: string, kind: string, severity: string, accountId: string, occurredAt: string) =>
    t.db.query(
      `INSERT INTO alerts (id, kind, severity, summary, position_id, account_id, details, occurred_at) VALUES ($1, $2, $3, $4, NULL, $5, '{}', $6)`,
      [id, kind, severity, `${kind} on ${accountId}`, accountId, occurredAt],
    );

  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway'] });
    alice = await t.newUser();
    bob = await t.newUser();
    const identity = new IdentityRepository(t.db, new SecretCipher(parseEncryptionKeys(TEST_ENCRYPTION_KEYS).active));
    operator = new GatewayClient(t.stack.gatewayUrl, (await identity.createUser(`ops-${randomUUID()}@example.com`, 'operator')).token);
    await insert('a1', 'orphan.detected', 'warning', alice.accountId, at(1));
    await insert('a2', 'orphan.resolved', 'info', alice.accountId, at(2));
    // Two alerts at the same instant: the cursor must neither skip nor repeat one.
    await insert('a3', 'account.key_refused', 'critical', alice.accountId, at(3));
    await insert('a4', 'orphan.detected', 'critical', alice.accountId, at(3));
    await insert('b1', 'orphan.detected', 'warning', bob.accountId, at(4));
    await insert('b2', 'execution.stuck', 'critical', bob.accountId, at(5));
  });
  afterAll(async () => {
    await t?.stop();
  });

  const ids = (body: Record<string, unknown>) => (body['alerts'] as { id: string }[]).map((a) => a.id);

  it('an operator sees every user’s alerts, newest first; a user only their own', async () => {
    const all = await operator.request('GET', '/api/alerts');
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual(['b2', 'b1', 'a4', 'a3', 'a2', 'a1']);
    expect(all.body['nextCursor']).toBeNull();
    expect(ids((await alice.client.request('GET', '/api/alerts')).body)).toEqual(['a4', 'a3', 'a2', 'a1']);
    expect(ids((await bob.client.request('GET', '/api/alerts')).body)).toEqual(['b2', 'b1']);
    // A user naming another's account gets nothing of it.
    expect(ids((await alice.client.request('GET', `/api/alerts?accountId=${bob.accountId}`)).body)).toEqual([]);
  });

  it('filters by kind, severity, account and since', async () => {
    const get = async (q: string) => ids((await operator.request('GET', `/api/alerts?${q}`)).body);
    expect(await get('kind=orphan.detected')).toEqual(['b1', 'a4', 'a1']);
    expect(await get('severity=critical')).toEqual(['b2', 'a4', 'a3']);
    expect(await get(`accountId=${bob.accountId}`)).toEqual(['b2', 'b1']);
    expect(await get(`since=${encodeURIComponent(at(3))}`)).toEqual(['b2', 'b1', 'a4', 'a3']);
    expect(await get(`kind=orphan.detected&severity=critical&accountId=${alice.accountId}`)).toEqual(['a4']);
  });

  it('pages with an opaque cursor, keeping the filters, until nextCursor is null', async () => {
    const seen: string[] = [];
    let cursor: unknown = undefined;
    let pages = 0;
    do {
      const { status, body } = await operator.request(
        'GET',
        `/api/alerts?limit=2&since=${encodeURIComponent(at(2))}${cursor ? `&cursor=${String(cursor)}` : ''}`,
      );
      expect(status).toBe(200);
      seen.push(...ids(body));
      cursor = body['nextCursor'];
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['b2', 'b1', 'a4', 'a3', 'a2']);
    expect(pages).toBe(3);
  });

  it('refuses a bad filter or cursor with 400 naming the field', async () => {
    for (const [q, field] of [
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['severity=loud', 'severity'],
      ['since=yesterday', 'since'],
      ['accountId=42', 'accountId'],
      ['kind=DROP%20TABLE', 'kind'],
    ]) {
      const answer = await operator.request('GET', `/api/alerts?${q}`);
      expect({ q, status: answer.status, error: answer.body['error'] }).toMatchObject({
        q,
        status: 400,
        error: { code: 'VALIDATION.INVALID_FIELD', field, location: 'query' },
      });
    }
  });
});
