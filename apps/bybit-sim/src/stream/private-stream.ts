// Bybit's private WebSocket stream served on the simulator's HTTP server at /v5/private (the path
// of wss://stream.bybit.com/v5/private): connections, their sessions (stream-session.ts), the
// engine's account changes fanned out as topic messages (stream-messages.ts), the inactivity cut,
// and the faults — a dropped connection, a silent stall, a delayed or duplicated message.
// Nothing is replayed: a message belongs to the connections open and subscribed when it is sent
// (docs/v5/faq.mdx: reconnect and fill the gap over REST), and messages held by a stall or a delay
// die with their connection.
import { randomBytes, randomUUID } from 'node:crypto';
import { IncomingMessage, Server } from 'node:http';
import { Duplex } from 'node:stream';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { ExchangeEvent } from '../engine/events';
import { SimContext } from '../http/v5-route';
import { verifyStreamAuth } from './stream-auth';
import { StreamFaultBook } from './stream-faults';
import { TopicMessage, render, streamMessages } from './stream-messages';
import { StreamSession, maxActiveMs } from './stream-session';

/** The path of the private stream (docs/v5/websocket/wss-authentication.mdx). */
export const PRIVATE_STREAM_PATH = '/v5/private';

/** How often connections are checked against the inactivity rule. */
const SWEEP_INTERVAL_MS = 1000;

interface Connection {
  readonly socket: WebSocket;
  readonly session: StreamSession;
  /** Epoch ms the current stall ends; 0 when none. */
  stalledUntil: number;
  /** Nothing is sent and pings go unanswered while true. */
  stalled: boolean;
  /** Which stall is the latest: an earlier, shorter one's timer must not end a later one. */
  stallGeneration: number;
  /** Frames held by a stall, sent in order when it ends. */
  held: string[];
  /** Topic messages sent (duplicates count twice). */
  sent: number;
}

/** Options of {@link PrivateStream}. */
export interface PrivateStreamOptions {
  /** Message ids; default randomUUID. */
  readonly newId?: () => string;
}

/** The private stream of one simulator. */
export class PrivateStream {
  readonly faults = new StreamFaultBook();
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly connections = new Set<Connection>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly newId: () => string;
  /** Socket errors seen (a reset by the peer, …); the connection closes after each. */
  private socketErrors = 0;

  constructor(
    server: Server,
    private readonly context: SimContext,
    options: PrivateStreamOptions = {},
  ) {
    this.newId = options.newId ?? randomUUID;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
    this.unsubscribe = context.exchange.events.subscribe((event) => this.onExchangeEvent(event));
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  /**
   * Cuts the connections of one account (any of its keys), or every connection: the socket is
   * destroyed without a close frame, as a network failure would leave it.
   *
   * @returns how many connections were dropped
   */
  drop(apiKey?: string): number {
    const victims = this.connectionsOf(apiKey);
    for (const connection of victims) connection.socket.terminate();
    return victims.length;
  }

  /**
   * Silences the open connections of one account, or all, for `durationMs`: nothing is sent and
   * pings (op ping and WebSocket ping frames) go unanswered; what was held is sent when the stall
   * ends if the connection is still open. Connections opened later are healthy.
   *
   * @returns how many connections stall, and until when (epoch ms)
   */
  stall(durationMs: number, apiKey?: string): { stalled: number; until: number } {
    const until = this.context.clock() + durationMs;
    const victims = this.connectionsOf(apiKey);
    for (const connection of victims) {
      connection.stalled = true;
      connection.stalledUntil = until;
      connection.stallGeneration += 1;
      const generation = connection.stallGeneration;
      this.later(durationMs, () => this.resume(connection, generation));
    }
    return { stalled: victims.length, until };
  }

  /** The connections and faults, for the control API. */
  snapshot(): Record<string, unknown> {
    return {
      path: PRIVATE_STREAM_PATH,
      connections: [...this.connections].map(({ session, stalled, stalledUntil, held, sent }) => ({
        connId: session.connId,
        apiKey: session.apiKey ?? null,
        topics: session.topics,
        openedTime: session.openedTime,
        lastActivityTime: session.lastActivityTime,
        maxActiveMs: session.maxActiveMs,
        stalledUntil: stalled ? stalledUntil : null,
        heldFrames: held.length,
        messagesSent: sent,
        lastAuthRefusal: session.lastAuthRefusal ?? null,
      })),
      faults: this.faults.snapshot(),
      socketErrors: this.socketErrors,
    };
  }

  /** Cuts every connection, stops the timers and stops listening to the exchange. */
  close(): void {
    this.unsubscribe();
    clearInterval(this.sweeper);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const connection of this.connections) connection.socket.terminate();
    this.connections.clear();
    this.wss.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://sim');
    if (url.pathname !== PRIVATE_STREAM_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, maxActiveMs(url.searchParams.get('max_active_time'))));
  }

  private accept(socket: WebSocket, maxActive: number): void {
    // Bybit's conn_id looks like "cejreaspqfh3sjdnldmg-p": 20 base-32 characters, a dash, a suffix.
    const connId = `${randomBytes(10).toString('hex')}-${randomBytes(2).toString('hex')}`;
    const connection: Connection = {
      socket,
      session: new StreamSession(connId, this.context.clock(), maxActive),
      stalledUntil: 0,
      stalled: false,
      stallGeneration: 0,
      held: [],
      sent: 0,
    };
    this.connections.add(connection);
    socket.on('message', (data: RawData) => this.onFrame(connection, data));
    socket.on('ping', (data: Buffer) => {
      if (!connection.stalled) socket.pong(data);
    });
    socket.on('close', () => this.connections.delete(connection));
    socket.on('error', () => {
      // A peer reset or a broken frame; 'close' follows and forgets the connection.
      this.socketErrors += 1;
    });
  }

  private onFrame(connection: Connection, data: RawData): void {
    const { accounts } = this.context.exchange;
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const answers = connection.session.handle(
      text,
      this.context.clock(),
      (args, now) => verifyStreamAuth(args, now, (key) => accounts.secretOf(key)),
      (key) => accounts.get(key).apiKey,
    );
    for (const answer of answers) this.send(connection, JSON.stringify(answer));
  }

  private onExchangeEvent(event: ExchangeEvent): void {
    if (event.kind === 'reset') {
      // The accounts are gone: so are their connections and faults.
      this.faults.clear();
      this.drop();
      return;
    }
    const receivers = this.connectionsOf(event.apiKey).filter((connection) => connection.session.apiKey !== undefined);
    if (receivers.length === 0) return;
    const messages = streamMessages(event, this.context.exchange.catalogue, this.newId);
    for (const connection of receivers) {
      for (const message of messages) {
        for (const topicName of connection.session.topicNamesFor(message.topic)) this.deliver(connection, message, topicName);
      }
    }
  }

  private deliver(connection: Connection, message: TopicMessage, topicName: string): void {
    const apiKey = connection.session.apiKey;
    if (apiKey === undefined) return;
    const text = render(message, topicName);
    const fault = this.faults.take(apiKey, message.topic);
    const push = (): void => {
      connection.sent += 1;
      connection.session.touch(this.context.clock());
      this.send(connection, text);
    };
    if (fault?.effect === 'delay') {
      this.later(fault.delayMs ?? 0, push);
      return;
    }
    push();
    if (fault?.effect === 'duplicate') push();
  }

  private send(connection: Connection, text: string): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    if (connection.stalled) {
      connection.held.push(text);
      return;
    }
    connection.socket.send(text);
  }

  private resume(connection: Connection, generation: number): void {
    if (generation !== connection.stallGeneration) return;
    connection.stalled = false;
    connection.stalledUntil = 0;
    const held = connection.held;
    connection.held = [];
    for (const text of held) this.send(connection, text);
  }

  private sweep(): void {
    const now = this.context.clock();
    for (const connection of this.connections) if (connection.session.isIdle(now)) connection.socket.terminate();
  }

  private later(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, delayMs);
    this.timers.add(timer);
  }

  private connectionsOf(apiKey: string | undefined): Connection[] {
    if (apiKey === undefined) return [...this.connections];
    const identity = this.context.exchange.account(apiKey)?.apiKey ?? apiKey;
    return [...this.connections].filter((connection) => connection.session.apiKey === identity);
  }
}
