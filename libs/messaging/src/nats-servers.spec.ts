import { natsServers } from './bus';

describe('natsServers (NATS_URL → the client servers option)', () => {
  it('keeps one server as it is', () => {
    expect(natsServers('nats://127.0.0.1:4222')).toEqual(['nats://127.0.0.1:4222']);
  });

  it("splits a cluster's comma-separated servers, trimming blanks and empty entries", () => {
    expect(natsServers('nats://n1:4222, nats://n2:4222,,nats://n3:4222 ')).toEqual(['nats://n1:4222', 'nats://n2:4222', 'nats://n3:4222']);
  });

  it('refuses a URL that names no server', () => {
    expect(() => natsServers(' , ')).toThrow('NATS_URL names no server');
  });
});
