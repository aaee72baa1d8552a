import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findFreePort } from './ports';
import { spawnService, ServiceProcess } from './service-process';

export type LegworkService = 'bybit-sim' | 'gateway' | 'executor' | 'reconciler' | 'orphan-monitor';

export interface LegworkStackOptions {
  databaseUrl: string;
  natsUrl: string;
  /** Bus namespace (stream/subject prefix); '' in production. */
  namespace: string;
  /** Services to start as real child processes, in this order. Default: all five. */
  services?: LegworkService[];
  /** Fixed ports (0 or absent = a free port). */
  ports?: Partial<Record<LegworkService, number>>;
  /** Extra environment for every service (e.g. shortened RETRY_DELAYS_MS in tests). */
  env?: Record<string, string | undefined>;
  /** Extra environment per service. */
  serviceEnv?: Partial<Record<LegworkService, Record<string, string | undefined>>>;
  /** An already running simulator to use instead of starting one (leave 'bybit-sim' out of `services`). */
  simUrl?: string;
  /** When set, each service's output is appended to `<logDir>/<service>.log`. */
  logDir?: string;
}

export interface LegworkStack {
  gatewayUrl: string;
  simUrl: string;
  /** `http://127.0.0.1:<port>` of each started service (its /health and /metrics). */
  urls: Partial<Record<LegworkService, string>>;
  services: Partial<Record<LegworkService, ServiceProcess>>;
  /**
   * Starts one more instance of a service with the stack's environment plus `env` (a second
   * replica, or a replacement after a kill), on the port `env` names for it or a free one.
   * Stopped with the stack.
   */
  startService(service: LegworkService, env?: Record<string, string | undefined>): Promise<ServiceProcess>;
  /** Stops every started service, newest first. */
  stop(): Promise<void>;
}

const ENTRY: Record<LegworkService, string> = {
  'bybit-sim': 'apps/bybit-sim/src/main.js',
  gateway: 'apps/gateway/src/main.js',
  executor: 'apps/executor/src/main.js',
  reconciler: 'apps/reconciler/src/main.js',
  'orphan-monitor': 'apps/orphan-monitor/src/main.js',
};

const PORT_VARIABLE: Record<LegworkService, string> = {
  'bybit-sim': 'BYBIT_SIM_PORT',
  gateway: 'GATEWAY_PORT',
  executor: 'EXECUTOR_HTTP_PORT',
  reconciler: 'RECONCILER_HTTP_PORT',
  'orphan-monitor': 'ORPHAN_MONITOR_HTTP_PORT',
};

/** The repository root (the folder whose package.json is named "legwork"), from source or dist. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'legwork') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no legwork package.json above ${__dirname}`);
    dir = parent;
  }
}

/**
 * Starts Legwork's processes from the compiled `dist/` (run `npm run build` first): the Bybit
 * simulator, then the services, each as a real child process that must answer `/health` before
 * the next starts. Used by the demo, `npm start` and the end-to-end tests.
 * @throws ServiceStartError naming the service and its output when one fails to start (the ones
 *   already started are stopped).
 */
export async function startLegworkStack(options: LegworkStackOptions): Promise<LegworkStack> {
  const dist = path.join(repoRoot(), 'dist');
  const wanted = options.services ?? (['bybit-sim', 'gateway', 'executor', 'reconciler', 'orphan-monitor'] as LegworkService[]);
  const ports: Partial<Record<LegworkService, number>> = {};
  for (const service of wanted) ports[service] = options.ports?.[service] || (await findFreePort());
  const simUrl = options.simUrl ?? (ports['bybit-sim'] ? `http://127.0.0.1:${ports['bybit-sim']}` : undefined);
  if (!simUrl) throw new Error('either start bybit-sim or pass simUrl');
  const common = {
    DATABASE_URL: options.databaseUrl,
    NATS_URL: options.natsUrl,
    BUS_NAMESPACE: options.namespace,
    BYBIT_ENV: 'sim',
    BYBIT_SIM_URL: simUrl,
    ...options.env,
  };
  const services: Partial<Record<LegworkService, ServiceProcess>> = {};
  const extra: ServiceProcess[] = [];
  const urls: Partial<Record<LegworkService, string>> = {};
  const stop = async () => {
    for (const process of extra.reverse()) await process.stop();
    for (const service of [...wanted].reverse()) await services[service]?.stop();
  };
  const startService = async (service: LegworkService, env: Record<string, string | undefined> = {}) => {
    // A port the caller chose (to reach the instance) is the one its health is checked on.
    const port = Number(env[PORT_VARIABLE[service]]) || (await findFreePort());
    const process = await spawnService({
      name: `${service}-${extra.length + 2}`,
      script: path.join(dist, ENTRY[service]),
      env: { ...common, ...options.serviceEnv?.[service], [PORT_VARIABLE[service]]: String(port), ...env },
      healthUrl: `http://127.0.0.1:${port}/health`,
    });
    extra.push(process);
    return process;
  };
  try {
    for (const service of wanted) {
      const url = `http://127.0.0.1:${ports[service]}`;
      services[service] = await spawnService({
        name: service,
        script: path.join(dist, ENTRY[service]),
        env: { ...common, [PORT_VARIABLE[service]]: String(ports[service]), ...options.serviceEnv?.[service] },
        healthUrl: `${url}/health`,
        ...(options.logDir ? { logFile: path.join(options.logDir, `${service}.log`) } : {}),
      });
      urls[service] = url;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { gatewayUrl: urls.gateway ?? '', simUrl, urls, services, startService, stop };
}
