import { createHmac } from 'node:crypto';
import type { ExecutionView } from '../../exchange.port';
import { executionViewFromBybit } from '../bybit-mapping';
import type { DriftCause } from '../drift-cause';
import type { BybitEnv } from '../bybit-client.factory';

/**
 * The private stream URL of each Bybit (docs/v5/ws/connect.mdx: wss://stream.bybit.com/v5/private,
 * testnet wss://stream-testnet.bybit.com/v5/private); the simulator serves it on its HTTP port at
 * the same path (apps/bybit-sim README "Private stream").
 */
export function privateStreamUrl(env: BybitEnv, simUrl: string): string {
  if (env === 'mainnet') return 'wss://stream.bybit.com/v5/private';
  if (env === 'testnet') return 'wss://stream-testnet.bybit.com/v5/private';
  return `${simUrl.replace(/\/$/, '').replace(/^http/, 'ws')}/v5/private`;
}

/**
 * The `auth` request of Bybit's private stream (docs/v5/websocket/wss-authentication.mdx):
 * `{"op":"auth","args":[apiKey, expires, signature]}`, signature = hex HMAC-SHA256(secret,
 * "GET/realtime" + expires), `expires` an epoch-ms time in the future.
 */
export function authRequest(apiKey: string, secret: string, expiresMs: number): string {
  const signature = createHmac('sha256', secret).update(`GET/realtime${expiresMs}`).digest('hex');
  return JSON.stringify({ req_id: 'auth', op: 'auth', args: [apiKey, expiresMs, signature] });
}

/** An execution pushed on the `execution` topic, with when the exchange made it and when we got it (epoch ms). */
export interface StreamExecution {
  execution: ExecutionView;
  /** The message's `creationTime` (exchange clock, ms). */
  creationTime: number;
  /** What moved the position, from the row's `execType` and `createType` (`driftCauseFromBybit`, read by the mapping); null for funding. */
  cause: DriftCause | null;
}

/** What one frame of the private stream says, as far as the follower cares. */
export type StreamFrame =
  | { kind: 'executions'; messageId: string; creationTime: number; executions: StreamExecution[] }
  | { kind: 'topic'; topic: string; creationTime: number }
  | { kind: 'answer'; op: string; success: boolean; message: string }
  | { kind: 'other' };

/**
 * Reads one frame (docs/v5/websocket/private/execution.mdx: `{id, topic, creationTime, data[]}`
 * with the REST rows' fields; answers `{op, success, ret_msg}`; pong `{op:"pong"}`). Execution
 * rows go through the REST mapping (`executionViewFromBybit`), so stream and REST classify an
 * `execType` alike (only `Trade` is an order's fill); rows of an unknown `execType` are left out.
 * @throws SyntaxError on a frame that is not JSON
 */
export function readFrame(text: string): StreamFrame {
  const frame = JSON.parse(text) as Record<string, unknown>;
  if (typeof frame['topic'] === 'string') {
    const topic = frame['topic'];
    const creationTime = Number(frame['creationTime'] ?? 0);
    if (topic !== 'execution' && !topic.startsWith('execution.')) return { kind: 'topic', topic, creationTime };
    const rows = Array.isArray(frame['data']) ? (frame['data'] as Record<string, unknown>[]) : [];
    const executions = rows.flatMap((row) => {
      const execution = executionViewFromBybit(row);
      return execution ? [{ execution, creationTime, cause: execution.driftCause ?? null }] : [];
    });
    return { kind: 'executions', messageId: String(frame['id'] ?? ''), creationTime, executions };
  }
  if (typeof frame['op'] === 'string') {
    return { kind: 'answer', op: frame['op'], success: frame['success'] !== false, message: String(frame['ret_msg'] ?? '') };
  }
  return { kind: 'other' };
}

/**
 * The wait before reconnect attempt `attempt` (0-based): "full jitter" exponential backoff,
 * uniform in [0, min(capMs, baseMs × 2^attempt)] (AWS Architecture Blog, "Exponential Backoff
 * and Jitter"), so accounts cut at once do not reconnect at once. `random` in [0, 1).
 */
export function reconnectDelayMs(attempt: number, baseMs: number, capMs: number, random: number): number {
  return Math.floor(random * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
}
