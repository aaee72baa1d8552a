import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eventually, startTestStack, TestStack } from '@legwork/devstack';

// One position's trail in the logs: the request id a client sends (or the gateway gives) is on
// the gateway's request lines and on the line with the commandId it created, travels in the
// command's NATS headers, and is on every executor line about that command, down to the legs'
// exchange orders. Every line's level is a word.
describe('a position’s request id through the logs', () => {
  let t: TestStack;
  let logDir: string;
  beforeAll(async () => {
    logDir = await mkdtemp(path.join(os.tmpdir(), 'legwork-trail-'));
    t = await startTestStack({ logDir });
  });
  afterAll(async () => {
    await t?.stop();
    await rm(logDir, { recursive: true, force: true });
  });

  const linesOf = async (service: string, requestId: string) =>
    (await readFile(path.join(logDir, `${service}.log`), 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(requestId))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('finds the request id from the HTTP request to every exchange order of the basket, and of its close', async () => {
    const user = await t.newUser();
    const requestId = `trail-${randomUUID()}`;
    const opened = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' }, undefined);
    expect(opened.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/); // none sent: one given
    const { status, headers, body } = await user.client.request(
      'POST',
      '/api/positions',
      { indexId: user.indexId, notionalUsdt: '1000', direction: 'long' },
      { 'x-request-id': requestId },
    );
    expect(status).toBe(202);
    expect(headers.get('x-request-id')).toBe(requestId);
    const positionId = String(body['positionId']);
    await user.client.waitForStatus(positionId, ['ACTIVE']);

    const gateway = await linesOf('gateway', requestId);
    expect(gateway.map((l) => l['msg'])).toEqual(['incoming request', 'open position accepted; command queued', 'request completed']);
    const accepted = gateway[1] ?? {};
    expect(accepted).toMatchObject({ level: 'info', service: 'gateway', requestId, positionId, commandType: 'OpenPosition' });
    const commandId = String(accepted['commandId']);
    expect(gateway[2]).toMatchObject({ level: 'info', requestId, res: { statusCode: 202 } });

    const executor = await eventually(
      async () => {
        const lines = await linesOf('executor', requestId);
        return lines.some((l) => l['msg'] === 'position ACTIVE') ? lines : undefined;
      },
      { what: 'the executor lines of the command' },
    );
    for (const line of executor)
      expect(line).toMatchObject({ level: expect.stringMatching(/^(info|warn)$/), requestId, commandId, positionId });
    const messages = executor.map((l) => l['msg']);
    expect(messages).toContain('position claimed');
    expect(messages.filter((m) => m === 'leg order sent')).toHaveLength(5);
    expect(messages).toContain('position ACTIVE');
    // No executor line names this command without naming the request.
    const all = (await readFile(path.join(logDir, 'executor.log'), 'utf8')).split('\n').filter((l) => l.includes(commandId));
    expect(all.length).toBe(executor.length);

    // The close is another request, with its own id and command.
    const closeId = `close-${randomUUID()}`;
    expect((await user.client.request('POST', `/api/positions/${positionId}/close`, undefined, { 'x-request-id': closeId })).status).toBe(
      202,
    );
    await user.client.waitForStatus(positionId, ['CLOSED']);
    const closing = await eventually(
      async () => {
        const lines = await linesOf('executor', closeId);
        return lines.some((l) => String(l['msg']).includes('settled')) ? lines : undefined;
      },
      { what: 'the executor lines of the close' },
    );
    expect(closing.every((l) => l['positionId'] === positionId && l['type'] === 'ClosePosition')).toBe(true);
    expect((await linesOf('gateway', closeId)).map((l) => l['msg'])).toContain('close accepted; command queued');
  });

  it('replaces a request id it will not log as given', async () => {
    const user = await t.newUser();
    const answer = await user.client.request('GET', '/api/positions', undefined, { 'x-request-id': 'a b"c\\d' });
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
