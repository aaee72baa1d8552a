import { commandMessage, decodeCommand, decodeScanJob, REQUEST_ID_HEADER, scanJobMessage } from './envelope';

const bytes = (payload: unknown) => new TextEncoder().encode(JSON.stringify(payload));
const positionId = '5d1e2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';
const at = new Date('2026-11-23T12:00:00.000Z');

describe('commandMessage', () => {
  it.each([
    ['OpenPosition', { positionId }, 'trade.cmd.open'],
    ['ClosePosition', { positionId, attempt: 2 }, 'trade.cmd.close'],
    ['RollbackPosition', { positionId, attempt: 0 }, 'trade.cmd.rollback'],
    ['RestorePosition', { positionId, planId: '0b7c4f2e-8f0e-4a43-9d2e-3b3c1b7f2a10' }, 'trade.cmd.restore'],
  ] as const)('builds a %s that the executor decodes, its command id as msg id', (type, fields, subject) => {
    const message = commandMessage('t1', type, fields, at);
    const decoded = decodeCommand(bytes(message.payload));
    expect(decoded).toEqual({
      ok: true,
      command: { schemaVersion: 1, type, commandId: message.msgId, ...fields, issuedAt: '2026-11-23T12:00:00.000Z' },
    });
    expect(message.subject).toBe(`t1.${subject}`);
  });

  it('carries the HTTP request id as the X-Request-Id header, and no header without one', () => {
    const at = new Date('2026-11-29T10:00:00.000Z');
    expect(commandMessage('', 'OpenPosition', { positionId }, at, { requestId: 'req-12345678' }).headers).toEqual({
      [REQUEST_ID_HEADER]: 'req-12345678',
    });
    expect(commandMessage('', 'OpenPosition', { positionId }, at).headers).toBeUndefined();
    expect(commandMessage('', 'OpenPosition', { positionId }, at, { requestId: undefined }).headers).toBeUndefined();
  });

  it('gives every command its own id', () => {
    expect(commandMessage('', 'OpenPosition', { positionId }).msgId).not.toBe(commandMessage('', 'OpenPosition', { positionId }).msgId);
  });
});

describe('scanJobMessage', () => {
  it('builds a job keyed by job, account and window, so replicas publish one job', () => {
    const accountId = '0b7c4f2e-8f0e-4a43-9d2e-3b3c1b7f2a10';
    const message = scanJobMessage('', 'reconcile', accountId, at);
    expect(message).toEqual({
      msgId: `reconcile:${accountId}:2026-11-23T12:00:00.000Z`,
      subject: 'scan.job.reconcile',
      payload: { schemaVersion: 1, type: 'ScanJob', job: 'reconcile', accountId, windowStart: '2026-11-23T12:00:00.000Z' },
    });
    expect(decodeScanJob(bytes(message.payload))).toEqual({ ok: true, job: message.payload });
  });
});
