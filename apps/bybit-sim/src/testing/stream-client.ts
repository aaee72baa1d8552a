// Test helper: a plain `ws` client of the simulator's private stream that records every frame and
// waits for the ones a test expects. Not part of the simulator itself.
import { WebSocket } from 'ws';
import { streamSignature } from '../stream/stream-auth';

export type Frame = Record<string, unknown>;

/** A connected private-stream client. */
export class StreamClient {
  /** Every JSON frame received, oldest first. */
  readonly frames: Frame[] = [];
  private waiters: { match: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];
  private closedWith: number | undefined;
  private readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(frame)) return true;
        waiter.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code) => {
        this.closedWith = code;
        resolve(code);
      }),
    );
  }

  /** Opens a connection. @throws Error when the server refuses it */
  static async connect(url: string): Promise<StreamClient> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new StreamClient(socket);
  }

  send(request: unknown): void {
    this.socket.send(typeof request === 'string' ? request : JSON.stringify(request));
  }

  /** The first frame (already received or next) matching, within `timeoutMs`. @throws Error on timeout */
  async next(match: (frame: Frame) => boolean, timeoutMs = 3000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen !== undefined) return seen;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`)),
        timeoutMs,
      );
      this.waiters.push({ match, resolve: (frame) => (clearTimeout(timer), resolve(frame)) });
    });
  }

  /** Sends an op and waits for its answer (matched by req_id). */
  async request(op: string, args: unknown[] = [], reqId = `${op}-${this.frames.length}-${Math.random()}`): Promise<Frame> {
    this.send({ req_id: reqId, op, args });
    return this.next((frame) => frame['req_id'] === reqId);
  }

  /** Authenticates with `expires` ms from now (default 10 s). */
  auth(apiKey: string, secret: string, expiresInMs = 10_000): Promise<Frame> {
    const expires = Date.now() + expiresInMs;
    return this.request('auth', [apiKey, expires, streamSignature(secret, String(expires))]);
  }

  /** Topic frames of `topic` received so far. */
  topic(topic: string): Frame[] {
    return this.frames.filter((frame) => frame['topic'] === topic);
  }

  /** Resolves with the close code once the connection is closed. */
  whenClosed(): Promise<number> {
    return this.closed;
  }

  get isClosed(): boolean {
    return this.closedWith !== undefined;
  }

  close(): void {
    this.socket.terminate();
  }
}
