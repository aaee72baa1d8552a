/** One dispatched Server-Sent Event: `id` is the stream's last event id when it was dispatched. */
export interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/**
 * A small `text/event-stream` reader over `fetch`, as a frontend's EventSource would read the
 * gateway (tests and the demo; no SSE client library is installed). Parses fields per WHATWG
 * HTML §9.2.6: `id` (also from a frame without data), `event`, `data` (lines joined by `\n`),
 * `retry`, and comments (counted). No automatic reconnection: a test reconnects on purpose, with
 * {@link SseClient.lastEventId} as `Last-Event-ID`.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  /** The last event id the stream set (what an EventSource sends back when it reconnects). */
  lastEventId = '';
  retryMs: number | null = null;
  comments = 0;
  private ended = false;
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly abort: AbortController,
  ) {}

  /**
   * Opens `url` with `headers`. A non-2xx answer is returned with its body read (as `errorBody`).
   * @throws the fetch error when the server cannot be reached
   */
  static async open(url: string, headers: Record<string, string>): Promise<SseClient & { errorBody?: unknown }> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const client = new SseClient(response.status, response.headers, abort);
    if (!response.ok || !response.body) {
      const text = await response.text();
      return Object.assign(client, { errorBody: text ? (JSON.parse(text) as unknown) : null });
    }
    void client.consume(response.body);
    return client;
  }

  /** Closes the connection (the server sees the client go). */
  close(): void {
    this.abort.abort();
  }

  /** True once the server ended the stream or it was closed. */
  get closed(): boolean {
    return this.ended;
  }

  /**
   * Waits until `done(events)` holds, re-checked at each frame.
   * @throws Error naming `what` and the events so far after `timeoutMs`
   */
  async until(what: string, done: (events: SseEvent[]) => boolean, timeoutMs = 30_000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.events)) {
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) {
        throw new Error(`SSE: ${what} not seen (${this.ended ? 'stream ended' : `${timeoutMs} ms`}); got ${JSON.stringify(this.events)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events;
  }

  private async consume(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.frame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        this.notify();
      }
    } catch {
      // aborted by close(), or the connection dropped: the stream is over either way
    } finally {
      this.ended = true;
      this.notify();
    }
  }

  private frame(text: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) {
        this.comments += 1;
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') this.lastEventId = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    if (data.length > 0) this.events.push({ id: this.lastEventId, event, data: data.join('\n') });
  }

  private notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }
}
