import { HealthRegistry } from './health';

const fails = (message: string) => async () => {
  throw new Error(message);
};
const passes = async () => undefined;

describe('HealthRegistry', () => {
  it('is ok when every check passes', async () => {
    const health = new HealthRegistry();
    health.register('database', passes);
    health.register('nats', passes, { kind: 'degraded', detail: 'commands queue in the outbox' });
    expect(await health.report()).toEqual({ status: 'ok', checks: { database: 'ok', nats: 'ok' } });
  });

  it('stays ready (degraded) when only a degraded check fails, and names the consequence and the error', async () => {
    const health = new HealthRegistry();
    health.register('database', passes);
    health.register('nats', fails('connection closed'), { kind: 'degraded', detail: 'commands queue in the outbox' });
    expect(await health.report()).toEqual({
      status: 'degraded',
      checks: { database: 'ok', nats: 'degraded, commands queue in the outbox (connection closed)' },
    });
  });

  it('is unavailable when a required check fails, whatever the degraded ones say', async () => {
    const health = new HealthRegistry();
    health.register('database', fails('connection refused'));
    health.register('nats', fails('connection closed'), { kind: 'degraded', detail: 'commands queue in the outbox' });
    expect(await health.report()).toEqual({
      status: 'unavailable',
      checks: { database: 'connection refused', nats: 'degraded, commands queue in the outbox (connection closed)' },
    });
  });

  it('counts a check still pending after the timeout as failed', async () => {
    const health = new HealthRegistry();
    health.register('database', () => new Promise<void>(() => undefined));
    expect(await health.report(20)).toEqual({ status: 'unavailable', checks: { database: 'timed out after 20 ms' } });
  });
});
