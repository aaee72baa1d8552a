import fc from 'fast-check';
import { gatewayResponseValidator } from '@legwork/api-client';
import { randomUUID } from 'node:crypto';
import { startTestStack, TestStack, testNatsUrl } from '@legwork/devstack';
import { connectBus } from '@legwork/messaging';

// A property-based fuzz test of the running gateway: thousands of malformed and boundary requests
// to every route. Whatever arrives: only 4xx with the stable error body, not one new row in any
// table, not one message published, and the gateway still healthy afterwards.
const RUNS_PER_PROPERTY = Number(process.env['FUZZ_RUNS'] ?? 1000);

const TABLES = [
  'users',
  'api_tokens',
  'exchange_accounts',
  'indices',
  'index_components',
  'synthetic_positions',
  'position_status_changes',
  'orders',
  'trades',
  'position_components',
  'outbox',
  'position_deviations',
  'position_pnl',
  'orphan_observations',
  'alerts',
  'scan_runs',
  'restore_plans',
];

describe('hostile and malformed input (fuzz)', () => {
  let t: TestStack;
  let user: Awaited<ReturnType<TestStack['newUser']>>;
  let tried = 0;
  const counts = async () => {
    const rows = await Promise.all(
      TABLES.map(async (table) => [table, (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number] as const),
    );
    return Object.fromEntries(rows);
  };

  beforeAll(async () => {
    // No executor: a published command would stay in the stream, where the test can see it.
    t = await startTestStack({ services: ['bybit-sim', 'gateway'], env: { GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000' } });
    user = await t.newUser();
  });
  afterAll(async () => {
    process.stdout.write(`[measure] fuzz: ${tried} malformed or boundary requests sent\n`);
    await t?.stop();
  });

  /** Sends one request; asserts a 4xx with `{error: {code, message}}` (or 404 for unknown routes). */
  const send = async (method: string, path: string, body: string | undefined, headers: Record<string, string>) => {
    tried += 1;
    const response = await fetch(`${t.stack.gatewayUrl}${path}`, { method, headers, body });
    const text = await response.text();
    const what = `${method} ${path.slice(0, 120)} ${JSON.stringify(headers).slice(0, 200)} ${body?.slice(0, 120) ?? ''} → ${response.status} ${text.slice(0, 200)}`;
    if (response.status < 400 || response.status >= 500) throw new Error(what);
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code !== 'string' || typeof parsed.error?.message !== 'string')
      throw new Error(`without the error body: ${what}`);
    if (/\n\s+at |node_modules|\/work\//.test(text)) throw new Error(`leaked internals: ${what}`);
    // Never echo hostile input back (a long path, a script tag, …).
    if (text.length > 600) throw new Error(`echoed the request back: ${what}`);
    // The refusal is one the OpenAPI document lists for the operation (status and code).
    try {
      spec.check(method, path, response.status, parsed);
    } catch (error) {
      throw new Error(`${(error as Error).message}: ${what}`);
    }
  };
  const spec = gatewayResponseValidator();

  const auth = () => ({ authorization: `Bearer ${user.token}`, 'content-type': 'application/json' });
  const hostileString = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '',
      ' ',
      'NaN',
      'Infinity',
      '-Infinity',
      '1e309',
      '-1',
      '0',
      '0.000000001',
      '1e-7',
      '00',
      '+1',
      '1,5',
      '٣',
      '１０',
      'null',
      'true',
      "' OR 1=1 --",
      '../../etc/passwd',
      '%00',
      '\u0000',
      '<script>',
      '{"$gt":""}',
      'a'.repeat(5000),
    ),
  );
  const hostileJsonValue = fc.oneof(
    hostileString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.object({ maxDepth: 2 }),
  );

  it('POST /api/positions: a valid body with at least one field broken, missing or added', async () => {
    const before = await counts();
    const valid = { indexId: user.indexId, notionalUsdt: '100', direction: 'long' };
    await fc.assert(
      fc.asyncProperty(
        fc
          .oneof(
            // Break one known field.
            fc
              .record({
                field: fc.constantFrom('indexId', 'notionalUsdt', 'direction', 'accountId', 'onPartialFailure'),
                value: hostileJsonValue,
              })
              .map(({ field, value }) => ({ ...valid, [field]: value })),
            // Drop one required field.
            fc
              .constantFrom('indexId', 'notionalUsdt', 'direction')
              .map((field) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== field))),
            // Add an unknown field.
            fc
              .record({
                key: fc
                  .string({ minLength: 1, maxLength: 12 })
                  .filter((k) => !['indexId', 'notionalUsdt', 'direction', 'accountId', 'onPartialFailure', '__proto__'].includes(k)),
                value: hostileJsonValue,
              })
              .map(({ key, value }) => ({ ...valid, [key]: value })),
            // Boundary notionals.
            fc
              .constantFrom('0', '-0', '0.000000000', '100000000', '10000000.000000001', '1.123456789', '1e3', ' 100', '100 ')
              .map((n) => ({ ...valid, notionalUsdt: n })),
          )
          .filter((body) => JSON.stringify(body) !== JSON.stringify(valid) && !isAccidentallyValid(body)),
        async (body) => send('POST', '/api/positions', JSON.stringify(body), auth()),
      ),
      { numRuns: RUNS_PER_PROPERTY },
    );
    expect(await counts()).toEqual(before);
  });

  it('raw bodies: not JSON, wrong JSON type, wrong content type, too large', async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }).map((body) => ({ body, type: 'application/json' })),
          fc
            .constantFrom('[]', '"text"', '42', 'null', 'true', '{"indexId":', '{"a":1}}', `{"notionalUsdt": 1e309}`, 'NaN')
            .map((body) => ({ body, type: 'application/json' })),
          fc
            .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data')
            .map((type) => ({ body: 'indexId=1', type })),
          fc.constant({
            body: JSON.stringify({ indexId: user.indexId, notionalUsdt: '100', direction: 'long', pad: 'x'.repeat(20_000) }),
            type: 'application/json',
          }),
        ),
        async ({ body, type }) => send('POST', '/api/positions', body, { authorization: `Bearer ${user.token}`, 'content-type': type }),
      ),
      { numRuns: RUNS_PER_PROPERTY },
    );
    expect(await counts()).toEqual(before);
  });

  it('headers: bad or missing tokens, hostile Idempotency-Key', async () => {
    const before = await counts();
    const body = JSON.stringify({ indexId: user.indexId, notionalUsdt: '100', direction: 'long' });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileString.filter((s) => /^[\x20-\x7e]*$/.test(s)).map((token) => ({ authorization: `Bearer ${token}` })),
          fc
            .constantFrom(
              'Basic dXNlcjpwYXNz',
              'Bearer',
              'bearer lw_x',
              `Bearer ${user.token}x`,
              `Bearer ${user.token.slice(0, -1)}`,
              `Token ${user.token}`,
            )
            .map((a) => ({ authorization: a })),
          fc.constant({} as Record<string, string>),
          // (HTTP trims header values: "0 " arrives as the valid key "0".)
          hostileString
            .filter((s) => /^[\x20-\x7e]*$/.test(s) && !/^[A-Za-z0-9_.:-]{1,128}$/.test(s.trim()))
            .map((key) => ({ authorization: `Bearer ${user.token}`, 'idempotency-key': key })),
        ),
        async (headers) => send('POST', '/api/positions', body, { 'content-type': 'application/json', ...headers }),
      ),
      { numRuns: RUNS_PER_PROPERTY },
    );
    expect(await counts()).toEqual(before);
  });

  it('every route: malformed ids, queries and bodies', async () => {
    const before = await counts();
    const foreignOrMalformedId = fc.oneof(
      hostileString.filter((s) => s.length > 0 && !/[/?#%\\]/.test(s)).map(encodeURIComponent),
      fc.uuid().map(String),
      fc.constant(randomUUID()),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          foreignOrMalformedId.map((id) => ['GET', `/api/positions/${id}`, undefined] as const),
          foreignOrMalformedId.map((id) => ['POST', `/api/positions/${id}/close`, undefined] as const),
          foreignOrMalformedId.map((id) => ['POST', `/api/positions/${id}/rollback`, undefined] as const),
          foreignOrMalformedId.map((id) => ['GET', `/api/positions/${id}/restore-plan`, undefined] as const),
          fc
            .tuple(foreignOrMalformedId, hostileJsonValue)
            .map(([id, planId]) => ['POST', `/api/positions/${id}/restore`, JSON.stringify({ planId })] as const),
          hostileString
            .map((v) => ['GET', `/api/positions?limit=${encodeURIComponent(v)}`, undefined] as const)
            .filter(([, path]) => !/limit=([1-9]\d?|1\d\d|200)$/.test(path)),
          hostileString.map((v) => ['GET', `/api/alerts?limit=${encodeURIComponent(v)}&x=1`, undefined] as const),
          hostileString.map((v) => ['GET', `/api/indices?${encodeURIComponent(v)}=1`, undefined] as const),
          hostileJsonValue.map((v) => ['POST', '/api/operator/orphans/scan', JSON.stringify({ accountId: v })] as const),
          foreignOrMalformedId.map((id) => ['GET', `/api/operator/orphans/scan/${id}`, undefined] as const),
          fc
            .constantFrom(
              ['GET', '/api/nope'],
              ['DELETE', '/api/positions'],
              ['PUT', '/api/indices'],
              ['GET', '/api/positions/%2e%2e%2f%2e%2e%2fhealth'],
            )
            .map(([m, p]) => [m, p, undefined] as const),
        ),
        async ([method, path, body]) => send(method, path, body, auth()),
      ),
      { numRuns: RUNS_PER_PROPERTY * 2 },
    );
    expect(await counts()).toEqual(before);
  });

  it('afterwards: nothing was published, and the gateway is healthy and still serves valid requests', async () => {
    const bus = await connectBus(testNatsUrl(), t.namespace, 'fuzz-check');
    try {
      const info = await bus.jsm.streams.info(bus.names.commandsStream);
      expect(info.state.messages).toBe(0);
    } finally {
      await bus.close();
    }
    expect((await fetch(`${t.stack.gatewayUrl}/health`)).status).toBe(200);
    expect((await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '100', direction: 'long' })).status).toBe(202);
  });
});

/** A mutation that happens to produce a valid request (e.g. a valid optional field) is not hostile. */
function isAccidentallyValid(body: Record<string, unknown>): boolean {
  const keys = Object.keys(body).sort().join(',');
  const known = ['direction', 'indexId', 'notionalUsdt', 'onPartialFailure'];
  if (!keys.split(',').every((k) => known.includes(k))) return false;
  const n = body['notionalUsdt'];
  const validNotional =
    (typeof n === 'string' && /^\d{1,12}(\.\d{1,8})?$/.test(n) && Number(n) > 0 && Number(n) <= 10_000_000) ||
    (typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= 10_000_000 && /^\d{1,12}(\.\d{1,8})?$/.test(String(n)));
  return (
    validNotional &&
    (body['direction'] === 'long' || body['direction'] === 'short') &&
    (body['onPartialFailure'] === undefined || body['onPartialFailure'] === 'halt' || body['onPartialFailure'] === 'rollback')
  );
}
