import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { NestPinoLogger } from './nest-logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

describe('service logs', () => {
  it('write the level as a word, with the service, an ISO time, and secrets redacted', () => {
    const { lines, destination } = capture();
    const log = createLogger('executor', 'info', destination);
    log.warn({ apiSecret: 's3cr3t', positionId: 'p1' }, 'something');
    log.debug('not at info');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', service: 'executor', msg: 'something', apiSecret: '[redacted]', positionId: 'p1' }),
    ]);
    expect(String(lines[0]?.['time'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("carry Nest's own messages: errors and warnings as such, its chatter at debug", () => {
    const { lines, destination } = capture();
    const nest = new NestPinoLogger(createLogger('gateway', 'info', destination));
    nest.log('Mapped {/api/alerts, GET} route', 'RouterExplorer');
    nest.warn('deprecated option', 'NestFactory');
    nest.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    expect(lines.map((l) => [l['level'], l['msg'], l['context']])).toEqual([
      ['warn', 'deprecated option', 'NestFactory'],
      ['error', 'boom', 'ExceptionsHandler'],
    ]);
    expect(lines[1]?.['stack']).toBe('Error: boom\n    at x');
  });
});
