import { decodeCommand, decodeScanJob, decodeScanOrphansCommand } from './envelope';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const good = {
  schemaVersion: 1,
  type: 'OpenPosition',
  commandId: '0b7c4f2e-8f0e-4a43-9d2e-3b3c1b7f2a10',
  positionId: '5d1e2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b',
  issuedAt: '2026-11-23T12:00:00.000Z',
};

describe('decodeCommand', () => {
  it('accepts a well-formed OpenPosition', () => {
    expect(decodeCommand(enc(good))).toEqual({ ok: true, command: good });
  });

  it.each([
    ['bad JSON', '{nope', /not JSON/],
    ['unknown type', { ...good, type: 'Teleport' }, /type/],
    ['wrong schema version', { ...good, schemaVersion: 2 }, /schemaVersion/],
    ['unknown field', { ...good, extra: 1 }, /extra|Unrecognized/],
    ['malformed id', { ...good, positionId: 'x' }, /positionId/],
  ])('refuses %s with a reason', (_name, body, reason) => {
    const result = decodeCommand(enc(body));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

describe('decodeScanOrphansCommand', () => {
  const scan = { schemaVersion: 1, type: 'ScanOrphans', runId: good.commandId, issuedAt: good.issuedAt };

  it('accepts a well-formed ScanOrphans (ids only: the run says which account)', () => {
    expect(decodeScanOrphansCommand(enc(scan))).toEqual({ ok: true, command: scan });
  });

  it.each([
    ['bad JSON', '{nope', /not JSON/],
    [
      'a scan job instead',
      { schemaVersion: 1, type: 'ScanJob', job: 'orphans', accountId: good.positionId, windowStart: good.issuedAt },
      /type/,
    ],
    ['an account (the run row holds it)', { ...scan, accountId: good.positionId }, /accountId|Unrecognized/],
    ['malformed run id', { ...scan, runId: 'x' }, /runId/],
  ])('refuses %s with a reason', (_name, body, reason) => {
    const result = decodeScanOrphansCommand(enc(body));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

describe('decodeScanJob', () => {
  const job = { schemaVersion: 1, type: 'ScanJob', job: 'reconcile', accountId: good.positionId, windowStart: good.issuedAt };

  it('accepts a well-formed ScanJob and refuses an unknown job kind or bad JSON', () => {
    expect(decodeScanJob(enc(job))).toEqual({ ok: true, job });
    expect(decodeScanJob(enc({ ...job, job: 'audit' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/job/) });
    expect(decodeScanJob(enc('{nope'))).toEqual({ ok: false, reason: 'message is not JSON' });
  });
});
