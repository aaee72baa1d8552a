import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';

/** The HTTP request a piece of gateway work runs for: its id (`X-Request-Id`) and its logger (bound to that id). */
export interface RequestContext {
  requestId: string;
  log: Logger;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `next` (the rest of the request's handling) with `context` as the current request: the
 * use cases read it through {@link currentRequest} to put the request id on the commands they
 * create and on their log lines, without it passing through every controller signature.
 */
export function runInRequest(context: RequestContext, next: () => void): void {
  storage.run(context, next);
}

/** The request the current work runs for; undefined outside an HTTP request (a relay tick, a test). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
