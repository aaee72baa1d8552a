import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from './ports';
import { spawnService, ServiceStartError, type ServiceProcess } from './service-process';

const HEALTHY = `
const http = require('node:http');
const port = Number(process.env.PORT);
http.createServer((req, res) => { res.statusCode = req.url === '/health' ? 200 : 404; res.end(); })
  .listen(port, '127.0.0.1', () => console.log('listening on ' + port + ' as ' + process.env.SERVICE_ROLE));
if (process.env.IGNORE_SIGTERM) process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
`;

const CRASHING = `
console.log('booting executor');
console.error('FATAL: NATS_URL is not set');
process.exit(3);
`;

describe('spawnService', () => {
  let dir: string;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'legwork-svc-spec-'));
    await fs.writeFile(path.join(dir, 'healthy.js'), HEALTHY);
    await fs.writeFile(path.join(dir, 'crashing.js'), CRASHING);
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('rejects with the output when the service dies during start-up', async () => {
    const port = await findFreePort();
    const attempt = spawnService({
      name: 'executor',
      script: path.join(dir, 'crashing.js'),
      healthUrl: `http://127.0.0.1:${port}/health`,
    });
    await expect(attempt).rejects.toThrow(ServiceStartError);
    const error = (await attempt.catch((e: unknown) => e)) as ServiceStartError;
    expect(error.message).toMatch(/service "executor" exited before .* \(exit code 3\)/);
    expect(error.message).toContain('FATAL: NATS_URL is not set');
    expect(error.output).toContain('booting executor');
    expect(error.exit).toEqual({ code: 3, signal: null });
  });

  it('rejects clearly when the script does not exist', async () => {
    await expect(spawnService({ name: 'gateway', script: path.join(dir, 'missing.js') })).rejects.toThrow(
      /not found \(was the project built\?\)/,
    );
  });

  it('waits for health, restarts with a new pid, and reports a SIGKILL', async () => {
    const port = await findFreePort();
    const logFile = path.join(dir, 'logs', 'gateway.log');
    const svc = await spawnService({
      name: 'gateway',
      script: path.join(dir, 'healthy.js'),
      env: { PORT: String(port), SERVICE_ROLE: 'gateway' },
      healthUrl: `http://127.0.0.1:${port}/health`,
      logFile,
    });
    services.push(svc);
    expect(svc.running).toBe(true);
    expect(svc.output()).toContain(`listening on ${port} as gateway`);

    const firstPid = svc.pid;
    await svc.restart();
    expect(svc.pid).not.toBe(firstPid);
    expect(svc.running).toBe(true);

    svc.kill('SIGKILL');
    expect(await svc.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(svc.running).toBe(false);
    expect(await fs.readFile(logFile, 'utf8')).toMatch(/listening[\s\S]*restarting gateway[\s\S]*listening/);
  });

  it('stop() escalates to SIGKILL when SIGTERM is ignored', async () => {
    const port = await findFreePort();
    const svc = await spawnService({
      name: 'stubborn',
      script: path.join(dir, 'healthy.js'),
      env: { PORT: String(port), IGNORE_SIGTERM: '1' },
      healthUrl: `http://127.0.0.1:${port}/health`,
      stopGraceMs: 300,
    });
    services.push(svc);
    expect(await svc.stop()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(svc.output()).toContain('ignoring SIGTERM');
  });

  it('kills a service that never becomes healthy', async () => {
    const port = await findFreePort();
    const otherPort = await findFreePort();
    const attempt = spawnService({
      name: 'wrong-port',
      script: path.join(dir, 'healthy.js'),
      env: { PORT: String(otherPort) },
      healthUrl: `http://127.0.0.1:${port}/health`,
      healthTimeoutMs: 1000,
    });
    await expect(attempt).rejects.toThrow(/was not healthy at .* within 1000 ms \(killed\)/);
  });
});
