import type { Registry } from 'prom-client';
import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';
import { WebSocket } from 'ws';
import { counter, gauge, histogram } from '@legwork/observability';
import type { AccountCredentials, BybitEnv } from '../bybit-client.factory';
import { authRequest, privateStreamUrl, readFrame, reconnectDelayMs, StreamExecution } from './stream-protocol';

/** Settings of the private streams of one process. Durations in milliseconds. */
export interface PrivateStreamSettings {
  env: BybitEnv;
  /** Base URL of apps/bybit-sim (used when `env` is `sim`). */
  simUrl: string;
  /** New connections this process may open within any 5 minutes (Bybit: at most 500 per 5-minute window per IP). */
  connectsPer5Min: number;
  /** Bybit: "send the ping heartbeat packet every 20 seconds" (docs/v5/ws/connect.mdx). */
  pingIntervalMs: number;
  /** No frame at all (pong or data) for this long after a ping: the connection is stalled, cut and reopened. */
  pongTimeoutMs: number;
  /** Reconnect backoff: first step and cap (full jitter, see reconnectDelayMs). */
  reconnectBaseMs: number;
  reconnectCapMs: number;
}

/** What a followed account's stream tells its follower. Handlers must not throw (errors are theirs to log). */
export interface PrivateStreamHandlers {
  /** Authenticated and subscribed; `reconnected` after a cut. Nothing is replayed: fill the gap over REST now. */
  onConnected(reconnected: boolean): void;
  /** Executions of one `execution` message, in the order received (duplicates possible, as on Bybit). */
  onExecutions(executions: StreamExecution[], receivedAt: number): void;
  /** The exchange refused the key (auth answered `success: false`): the stream stops; no reconnect. */
  onRefused(message: string): void;
  /** A cut or failed attempt (reconnecting follows). */
  onDisconnected(reason: string): void;
}

/** One account's stream: close it to stop following (no reconnect after). */
export interface PrivateStreamHandle {
  close(): void;
}

/**
 * Bybit's private WebSocket stream (`execution` topic), one connection per account, spoken with
 * the `ws` package directly (not ccxt.pro: its watch methods hide `execType` and the cut, and have
 * known gaps — ccxt#14121, #18441, #22719). Protocol: auth, subscribe, `ping` every 20 s
 * (docs/v5/ws/connect.mdx); no replay after a cut (faq.mdx), hence `onConnected(true)` for the
 * caller's REST gap fill. Reconnects with full-jitter exponential backoff, forever, until closed
 * or refused. Every new connection of the process takes a token from one budget per 5-minute
 * window ("Do not establish more than 500 connections within a 5-minute window",
 * docs/v5/rate-limit/rate-limit.mdx, ../shared/data/bybit-v5/rate-limits.json): within it
 * connections open at once, past it they wait for the next window. Spacing them evenly instead (1.2 s apart at 250
 * per 5 min) left the tenth account of a freshly started executor on REST confirmations for 12 s.
 *
 * Metrics: `exchange_streams_followed`, `exchange_streams_connected`, `exchange_stream_reconnects_total`,
 * `exchange_stream_message_lag_seconds` (message `creationTime`, exchange clock → received).
 */
export class BybitPrivateStreams {
  private readonly url: string;
  private readonly limiter: RateLimiterQueue;
  private readonly followed;
  private readonly connected;
  private readonly reconnects;
  private readonly lag;

  constructor(
    private readonly settings: PrivateStreamSettings,
    registry: Registry,
  ) {
    this.url = privateStreamUrl(settings.env, settings.simUrl);
    // Fixed windows of half the budget: any 5 minutes overlap two windows at most, so never hold more than the budget.
    const perWindow = Math.max(1, Math.floor(settings.connectsPer5Min / 2));
    this.limiter = new RateLimiterQueue(new RateLimiterMemory({ points: perWindow, duration: 300 }));
    this.followed = gauge(
      registry,
      'exchange_streams_followed',
      'Private exchange streams this process follows (connected or reconnecting)',
    );
    this.connected = gauge(registry, 'exchange_streams_connected', 'Private exchange streams authenticated and subscribed now');
    this.reconnects = counter(registry, 'exchange_stream_reconnects_total', 'Private exchange streams reopened after a cut or a stall');
    this.lag = histogram(
      registry,
      'exchange_stream_message_lag_seconds',
      'Private stream messages: exchange creation time to received',
      ['topic'],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    );
    this.followed.set(0);
    this.connected.set(0);
    this.reconnects.inc(0);
  }

  /** Starts following one account's private stream (the secret is kept by the connection only). */
  open(credentials: AccountCredentials, handlers: PrivateStreamHandlers): PrivateStreamHandle {
    let closed = false;
    let socket: WebSocket | null = null;
    let attempt = 0;
    let everConnected = false;
    let retry: NodeJS.Timeout | null = null;
    this.followed.inc();
    const stop = (): void => {
      if (closed) return;
      closed = true;
      this.followed.dec();
    };

    const connect = (): void => {
      if (closed) return;
      void this.limiter.removeTokens(1).then(() => {
        if (closed) return;
        socket = this.connectOnce(credentials, {
          ...handlers,
          onConnected: () => {
            attempt = 0;
            handlers.onConnected(everConnected);
            everConnected = true;
          },
          onRefused: (message) => {
            closed = true;
            handlers.onRefused(message);
          },
          onDisconnected: (reason) => {
            socket = null;
            if (closed) return;
            handlers.onDisconnected(reason);
            this.reconnects.inc();
            const delay = reconnectDelayMs(attempt, this.settings.reconnectBaseMs, this.settings.reconnectCapMs, Math.random());
            attempt += 1;
            retry = setTimeout(connect, delay);
          },
        });
      });
    };
    connect();
    return {
      close: () => {
        stop();
        if (retry) clearTimeout(retry);
        socket?.terminate();
      },
    };
  }

  private connectOnce(credentials: AccountCredentials, handlers: PrivateStreamHandlers): WebSocket {
    const socket = new WebSocket(this.url);
    let subscribed = false;
    let pinger: NodeJS.Timeout | null = null;
    let lastFrameAt = Date.now();
    let ended = false;
    const end = (reason: string): void => {
      if (ended) return;
      ended = true;
      if (pinger) clearInterval(pinger);
      if (subscribed) this.connected.dec();
      socket.terminate();
      if (reason !== 'refused') handlers.onDisconnected(reason);
    };
    socket.on('open', () => {
      socket.send(authRequest(credentials.apiKey, credentials.apiSecret, Date.now() + 10_000));
      pinger = setInterval(() => {
        if (Date.now() - lastFrameAt > this.settings.pingIntervalMs + this.settings.pongTimeoutMs) return end('stalled: no pong');
        socket.send(JSON.stringify({ req_id: 'ping', op: 'ping' }));
      }, this.settings.pingIntervalMs);
    });
    socket.on('message', (data) => {
      const receivedAt = Date.now();
      lastFrameAt = receivedAt;
      let frame;
      try {
        frame = readFrame(String(data));
      } catch (error) {
        return end(`unreadable frame: ${(error as Error).message}`);
      }
      if (frame.kind === 'answer' && frame.op === 'auth') {
        if (!frame.success) {
          end('refused');
          return handlers.onRefused(frame.message);
        }
        socket.send(JSON.stringify({ req_id: 'subscribe', op: 'subscribe', args: ['execution'] }));
      } else if (frame.kind === 'answer' && frame.op === 'subscribe') {
        if (!frame.success) return end(`subscribe refused: ${frame.message}`);
        subscribed = true;
        this.connected.inc();
        handlers.onConnected(false);
      } else if (frame.kind === 'executions') {
        this.lag.observe({ topic: 'execution' }, Math.max(0, receivedAt - frame.creationTime) / 1000);
        if (frame.executions.length > 0) handlers.onExecutions(frame.executions, receivedAt);
      } else if (frame.kind === 'topic') {
        this.lag.observe({ topic: frame.topic }, Math.max(0, receivedAt - frame.creationTime) / 1000);
      }
    });
    socket.on('error', (error) => end(`socket error: ${error.message}`));
    socket.on('close', (code) => end(`closed (${code})`));
    return socket;
  }
}
