/**
 * The `text/event-stream` wire format (WHATWG HTML, "Server-sent events", §9.2.5/9.2.6), written
 * by hand: no SSE library is installed, and Nest's `@Sse()` stream cannot write comments (the
 * heartbeat). Each frame ends with a blank line; `data` is one JSON line (JSON.stringify never
 * emits a raw newline), so no field needs splitting.
 */

/** One event: `id` sets the client's Last-Event-ID, `event` its type, `data` the JSON payload. */
export function eventFrame(id: string, event: string, data: unknown): string {
  return `id: ${oneLine(id)}\nevent: ${oneLine(event)}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The stream's opening: the reconnection delay (`retry`, milliseconds) and the cursor (`id` alone:
 * a frame with no `data` dispatches no event, but the spec still sets the client's last event
 * id from it), so a client that reconnects before any event resumes from where it connected.
 */
export function openingFrame(retryMs: number, cursor: string): string {
  return `retry: ${Math.max(0, Math.trunc(retryMs))}\nid: ${oneLine(cursor)}\n\n`;
}

/** A comment line: ignored by clients, keeps proxies from closing an idle stream. */
export function heartbeatFrame(): string {
  return ': heartbeat\n\n';
}

function oneLine(value: string): string {
  return value.replace(/[\r\n]/g, '');
}
