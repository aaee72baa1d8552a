import net from 'node:net';

const DEFAULT_PORTS: Record<string, number> = {
  'nats:': 4222,
  'postgres:': 5432,
  'postgresql:': 5432,
  'http:': 80,
  'https:': 443,
};

/**
 * Asks the kernel for a TCP port that is free on 127.0.0.1 right now and releases it.
 *
 * The port can in principle be taken by someone else before the caller binds it; callers that
 * choose the port themselves (startNatsServer, startPostgres) retry with a new one when the
 * server reports "address in use".
 *
 * @returns a port number in the ephemeral range.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('findFreePort: the kernel returned no TCP address'));
        return;
      }
      const { port } = address;
      server.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}

/**
 * Splits a service URL into the TCP host and port to dial. Works for `nats://host:port`,
 * `postgres://user@host:port/db`, `http(s)://…`, and several comma-separated NATS servers
 * (only the first is used). A missing port falls back to the scheme's default (4222, 5432, 80, 443).
 *
 * @throws Error when the URL cannot be parsed or has no known default port.
 */
export function tcpAddressOf(url: string): { host: string; port: number } {
  const first = (url.split(',')[0] ?? url).trim();
  const withScheme = first.includes('://') ? first : `nats://${first}`;
  const parsed = new URL(withScheme);
  const rawHost = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const host = rawHost.length > 0 ? rawHost : '127.0.0.1';
  const port = parsed.port.length > 0 ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol];
  if (port === undefined || !Number.isInteger(port)) {
    throw new Error(`tcpAddressOf: no port in ${url} and no default for scheme ${parsed.protocol}`);
  }
  return { host, port };
}

/**
 * Resolves true when a TCP connection to the URL's host and port opens within `timeoutMs`
 * (default 1000 ms), false on refusal, timeout or any network error. Only checks that something
 * listens: it speaks no protocol. Never rejects, except for an unparseable URL.
 *
 * @param url e.g. `nats://127.0.0.1:4222` or `postgres://postgres@127.0.0.1:5432/postgres`
 */
export function isTcpReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { host, port } = tcpAddressOf(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (reachable: boolean): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined); // a late error after destroy() must not crash the process
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
