// One private-stream connection's protocol, pure (time comes in as `now`): the ops a client sends
// and the answers Bybit gives (docs/v5/websocket/wss-authentication.mdx), its subscriptions and
// the inactivity rule. Answers carry `req_id` only when the request did.
//
// - auth: see stream-auth.ts. A refused auth leaves the connection open and unauthenticated; an
//   auth on an authenticated connection is checked again and answered, and never undoes the first.
// - subscribe / unsubscribe: private topics need auth first; Bybit answers "Request not
//   authorized" then (the error NautilusTrader hit subscribing too early, nautilus_trader#2101).
//   A request with one invalid topic is refused whole. Subscribing twice is harmless.
// - ping: answered `{"op":"pong","args":["<server ms>"]}` (the private-channel example).
// - anything else, or a frame that is not a JSON object: "error:invalid op" (ccxt 4.5.84
//   pro/bybit.js handleErrorMessage records this text).
// - Inactivity: "if there is no ping-pong and no stream data sent from server end, the connection
//   will be cut off after 10 minutes", or after `max_active_time` (30s–600s, "1m"…"10m") given
//   as a URL parameter. Bybit's sweeper runs every 30 s, so its cut comes up to 30 s late; the
//   simulator cuts on time (its own sweep interval aside). Any client frame counts as activity.
import { AuthOutcome } from './stream-auth';
import { StreamTopic, TopicName, parseTopicName, receivesLinear, subscriptionError } from './stream-topics';

/** Default and bounds of the inactivity cut (wss-authentication.mdx "Customise Private Connection Alive Time"). */
export const DEFAULT_MAX_ACTIVE_MS = 600_000;
export const MIN_MAX_ACTIVE_MS = 30_000;

/** Bybit's answer to a subscribe before auth. */
export const NOT_AUTHORIZED = 'Request not authorized';
/** Bybit's answer to an unknown op. */
export const INVALID_OP = 'error:invalid op';

/**
 * The inactivity limit a `max_active_time` URL parameter asks for ("45s", "2m"), clamped to
 * 30 s–600 s; the 10-minute default when absent or unreadable (Bybit documents no refusal).
 */
export function maxActiveMs(parameter: string | null): number {
  const match = parameter === null ? null : /^(\d{1,4})([sm])$/.exec(parameter);
  if (match === null) return DEFAULT_MAX_ACTIVE_MS;
  const ms = Number(match[1]) * (match[2] === 'm' ? 60_000 : 1000);
  return Math.min(DEFAULT_MAX_ACTIVE_MS, Math.max(MIN_MAX_ACTIVE_MS, ms));
}

/** Checks an auth request's args (stream-auth.ts `verifyStreamAuth` bound to the accounts). */
export type Authenticator = (args: unknown, now: number) => AuthOutcome;

type Json = Record<string, unknown>;

/** The protocol state of one connection. */
export class StreamSession {
  private accountKey: string | undefined;
  private readonly subscriptions = new Map<string, TopicName>();
  private lastActivity: number;
  /** The last refused auth, for the control API's state (never sent). */
  lastAuthRefusal: string | undefined;

  /**
   * @param connId the connection id every answer carries (`conn_id`)
   * @param openedTime epoch ms the connection opened
   * @param maxActiveMs inactivity limit (see {@link maxActiveMs})
   */
  constructor(
    readonly connId: string,
    readonly openedTime: number,
    readonly maxActiveMs: number,
  ) {
    this.lastActivity = openedTime;
  }

  /** The authenticated account's identity key; undefined before a successful auth. */
  get apiKey(): string | undefined {
    return this.accountKey;
  }

  /** Subscribed topic names, in subscription order. */
  get topics(): string[] {
    return [...this.subscriptions.keys()];
  }

  get lastActivityTime(): number {
    return this.lastActivity;
  }

  /**
   * Handles one client frame at `now`.
   *
   * @param toIdentity maps the key that authenticated to its account's identity key
   * @returns the answers to send, in order
   */
  handle(text: string, now: number, authenticate: Authenticator, toIdentity: (apiKey: string) => string): Json[] {
    this.lastActivity = now;
    const request = parseRequest(text);
    const reqId = request === undefined ? undefined : request['req_id'];
    const answer = (fields: Json): Json => ({ ...fields, ...(reqId === undefined ? {} : { req_id: String(reqId) }), conn_id: this.connId });
    const op = request?.['op'];
    const args = Array.isArray(request?.['args']) ? (request['args'] as unknown[]) : [];
    switch (op) {
      case 'ping':
        return [answer({ op: 'pong', args: [String(now)] })];
      case 'auth': {
        const outcome = authenticate(request?.['args'], now);
        if (outcome.ok) this.accountKey ??= toIdentity(outcome.apiKey);
        else this.lastAuthRefusal = outcome.reason;
        return [answer({ success: outcome.ok, ret_msg: outcome.ok ? '' : outcome.retMsg, op: 'auth' })];
      }
      case 'subscribe':
      case 'unsubscribe': {
        const error = this.accountKey === undefined ? NOT_AUTHORIZED : subscriptionError(args);
        if (error === undefined) this.apply(op, args);
        return [answer({ success: error === undefined, ret_msg: error ?? '', op })];
      }
      default:
        return [answer({ success: false, ret_msg: INVALID_OP, op: typeof op === 'string' ? op : '' })];
    }
  }

  /** Subscribed names that receive the simulator's data of `topic`. */
  topicNamesFor(topic: StreamTopic): string[] {
    return [...this.subscriptions.values()].filter((name) => receivesLinear(name, topic)).map((name) => name.name);
  }

  /** Records server data sent at `now` (activity for the inactivity rule). */
  touch(now: number): void {
    this.lastActivity = Math.max(this.lastActivity, now);
  }

  /** Whether the inactivity rule cuts the connection at `now`. */
  isIdle(now: number): boolean {
    return now - this.lastActivity >= this.maxActiveMs;
  }

  private apply(op: 'subscribe' | 'unsubscribe', args: readonly unknown[]): void {
    for (const arg of args) {
      const name = parseTopicName(String(arg));
      if (name === undefined) continue;
      if (op === 'subscribe') this.subscriptions.set(name.name, name);
      else this.subscriptions.delete(name.name);
    }
  }
}

function parseRequest(text: string): Json | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : undefined;
  } catch {
    // Not JSON: answered as an invalid op, like any request Bybit cannot read.
    return undefined;
  }
}
