import { randomUUID } from 'node:crypto';
import { eventually, GatewayClient, startTestStack, TEST_ENCRYPTION_KEYS, TestStack } from '@legwork/devstack';
import { IdentityRepository, OrphanScanRunRepository, parseEncryptionKeys, SecretCipher } from '@legwork/persistence';

// The operator's orphan scan is not run by the gateway: it records the run and publishes a
// ScanOrphans command; the orphan monitor runs it. Past the gateway's wait the answer is 202 with
// the run id, read later with GET. (The 200-within-the-wait path: scan-orphans.int-spec.ts.)
describe('an operator orphan scan the orphan monitor has not finished within the wait', () => {
  let t: TestStack;
  let operator: GatewayClient;
  beforeAll(async () => {
    // No orphan monitor yet: the command waits in the stream.
    t = await startTestStack({
      services: ['bybit-sim', 'gateway'],
      env: { OPERATOR_SCAN_WAIT_MS: '300', ORPHAN_MONITOR_CRON: '0 0 1 1 *' },
    });
    const identity = new IdentityRepository(t.db, new SecretCipher(parseEncryptionKeys(TEST_ENCRYPTION_KEYS).active));
    const { token } = await identity.createUser(`ops-${randomUUID()}@example.com`, 'operator');
    operator = new GatewayClient(t.stack.gatewayUrl, token);
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** The report of a run: the answer itself when it was 200, else read with GET until done. */
  const report = (answer: Awaited<ReturnType<GatewayClient['request']>>) =>
    answer.status === 200
      ? answer.body
      : eventually(
          async () => {
            const read = await operator.request('GET', `/api/operator/orphans/scan/${String(answer.body['runId'])}`);
            return read.status === 200 ? read.body : null;
          },
          { what: `orphan scan run ${String(answer.body['runId'])} to finish`, timeoutMs: 30_000 },
        );

  it('answers 202 {runId} with Location, the run is pending, then done with the report once the orphan monitor ran it', async () => {
    const user = await t.newUser();
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'ADAUSDT', side: 'Buy', qty: '100' });

    const accepted = await operator.request('POST', '/api/operator/orphans/scan', { accountId: user.accountId });
    expect(accepted.status).toBe(202);
    const runId = String(accepted.body['runId']);
    expect(accepted.body).toEqual({ runId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(accepted.headers.get('location')).toBe(`/api/operator/orphans/scan/${runId}`);
    const [command] = await t.db.query(`SELECT subject, payload FROM outbox WHERE msg_id = $1`, [runId]);
    expect(command).toEqual({
      subject: `${t.namespace}.scan.cmd.orphans`,
      payload: { schemaVersion: 1, type: 'ScanOrphans', runId, issuedAt: expect.any(String) },
    });
    expect(await operator.request('GET', `/api/operator/orphans/scan/${runId}`)).toMatchObject({ status: 202, body: { runId } });
    expect((await user.client.request('GET', `/api/operator/orphans/scan/${runId}`)).status).toBe(403);

    const monitor = await t.stack.startService('orphan-monitor');
    try {
      expect(await report(accepted)).toMatchObject({
        confirmed: 0,
        failedAccounts: 0,
        skippedAccounts: 0,
        accounts: [{ accountId: user.accountId, orphans: [{ symbol: 'ADAUSDT', status: 'suspected', consecutiveScans: 1 }] }],
      });
      // A real scan: it counted toward confirmation; the next one confirms.
      const second = await operator.request('POST', '/api/operator/orphans/scan', { accountId: user.accountId });
      expect([200, 202]).toContain(second.status);
      expect(await report(second)).toMatchObject({ confirmed: 1, failedAccounts: 0 });
    } finally {
      await monitor.stop();
    }
  });

  it('an unknown run is 404 SCAN.RUN_NOT_FOUND; a run the orphan monitor gave up is 503 SCAN.RUN_FAILED; a bad run id is 400', async () => {
    const missing = await operator.request('GET', `/api/operator/orphans/scan/${randomUUID()}`);
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'SCAN.RUN_NOT_FOUND', field: 'runId' } } });

    const accepted = await operator.request('POST', '/api/operator/orphans/scan', {});
    expect(accepted.status).toBe(202);
    const runId = String(accepted.body['runId']);
    expect(await new OrphanScanRunRepository(t.db).fail(runId, 'database unreachable')).toBe(true);
    const failed = await operator.request('GET', `/api/operator/orphans/scan/${runId}`);
    expect(failed).toMatchObject({
      status: 503,
      body: { error: { code: 'SCAN.RUN_FAILED', message: expect.stringContaining('database unreachable') } },
    });

    const malformed = await operator.request('GET', '/api/operator/orphans/scan/not-a-uuid');
    expect(malformed).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION.INVALID_FIELD', location: 'path', field: 'runId' } },
    });
  });
});
