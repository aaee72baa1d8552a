import { RequestError, TimeoutError, type Msg, type Subscription } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { LeverageReset, RestorePlanStatus, RestoreTrade } from '@legwork/domain';
import type { Bus } from './bus';
import { EXECUTOR_REQUEST_TYPES, type ExecutorRequestType } from './subjects';

/**
 * The gateway's bounded questions to the executor: NATS core request/reply (no stream), answered
 * by one executor replica of the queue group, or by none within the bound. The gateway holds no
 * exchange client and no account secret; whatever needs the exchange is asked here. Versioned
 * like the commands: a request of an unknown `schemaVersion` or `type` is answered with an error.
 */
const request = { schemaVersion: z.literal(1) };

/** Make, store and show a "Restore balance" plan for an ACTIVE position (the user owns it: the gateway checked). */
export const PlanRestoreRequest = z.strictObject({ ...request, type: z.literal('PlanRestore'), positionId: z.uuid() });
export type PlanRestoreRequest = z.infer<typeof PlanRestoreRequest>;

/** Start a confirmed plan if the exchange still matches its snapshot (its command goes out through the outbox). */
export const StartRestoreRequest = z.strictObject({ ...request, type: z.literal('StartRestore'), positionId: z.uuid(), planId: z.uuid() });
export type StartRestoreRequest = z.infer<typeof StartRestoreRequest>;

/** Every linear mark price (public market data). */
export const ReadMarkPricesRequest = z.strictObject({ ...request, type: z.literal('ReadMarkPrices') });
export type ReadMarkPricesRequest = z.infer<typeof ReadMarkPricesRequest>;

export const ExecutorRequest = z.discriminatedUnion('type', [PlanRestoreRequest, StartRestoreRequest, ReadMarkPricesRequest]);
export type ExecutorRequest = z.infer<typeof ExecutorRequest>;

/** The stored plan as the API shows it (`GET /api/positions/:id/restore-plan`). Quantities are decimal strings. */
export interface RestorePlanView {
  planId: string;
  positionId: string;
  leverageResets: LeverageReset[];
  trades: RestoreTrade[];
  skipped: { symbol: string; reason: string }[];
  /** Slot key → the exchange's signed size when the plan was made. */
  exchangePositions: Record<string, string>;
  /** ISO time after which the plan cannot be confirmed. */
  expiresAt: string;
}

/** A stored plan's trade (plans stored before hedge mode carry no `hedgeSide`). */
export type StoredRestoreTrade = Omit<RestoreTrade, 'hedgeSide'> & { hedgeSide?: RestoreTrade['hedgeSide'] };

/** A plan that was started: its state (`executing`) and what will run. */
export interface StartedRestore {
  state: RestorePlanStatus;
  leverageResets: LeverageReset[];
  trades: StoredRestoreTrade[];
}

/** Symbol → mark price (decimal string), as read at `readAt` (ISO time). */
export interface MarkPrices {
  prices: Record<string, string>;
  readAt: string;
}

/** What each request is answered with when it succeeds. */
export interface ExecutorResults {
  PlanRestore: RestorePlanView;
  StartRestore: StartedRestore;
  ReadMarkPrices: MarkPrices;
}

/**
 * A refusal or failure, as the executor decided it: a stable `code` (a domain, persistence,
 * exchange or executor code; `INTERNAL` for an unexpected error, whose detail stays in the
 * executor's log), a message for a person and, when one input is to blame, its `field`.
 */
export interface ExecutorRequestError {
  code: string;
  message: string;
  field?: string;
}

export type ExecutorReply<T> = { ok: true; result: T } | { ok: false; error: ExecutorRequestError };

const ReplyEnvelope = z.union([
  z.strictObject({ ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: z.strictObject({ code: z.string(), message: z.string(), field: z.string().optional() }) }),
]);

/** The executor's reply, or none: no replica answered within the bound (none running, all busy, the bus down). */
export type ExecutorAnswer<T> = { kind: 'answered'; reply: ExecutorReply<T> } | { kind: 'unavailable'; reason: string };

/**
 * Asks one executor replica and waits at most `timeoutMs`.
 * @returns `unavailable` on no responders, a timeout or a disconnected bus (the caller answers
 *   "try again"); never retries — a request may have been answered late and must not run twice.
 * @throws Error when the reply is not an executor reply (a contract mismatch, not an outage)
 */
export async function requestExecutor<R extends ExecutorRequest>(
  bus: Bus,
  payload: R,
  timeoutMs: number,
): Promise<ExecutorAnswer<ExecutorResults[R['type']]>> {
  let msg: Msg;
  try {
    msg = await bus.nc.request(bus.names.executorRequestSubject(payload.type), JSON.stringify(payload), { timeout: timeoutMs });
  } catch (error) {
    if (error instanceof TimeoutError) return { kind: 'unavailable', reason: `no executor answered within ${timeoutMs} ms` };
    if (error instanceof RequestError) {
      return {
        kind: 'unavailable',
        reason: error.isNoResponders() ? 'no executor is running' : `the bus refused the request (${error.message})`,
      };
    }
    throw error;
  }
  const parsed = ReplyEnvelope.safeParse(parseJson(msg.data));
  if (!parsed.success) throw new Error(`the executor's reply to ${payload.type} is not a reply: ${parsed.error.message}`);
  // The result's shape is the executor's side of this contract (same repository, same release).
  return { kind: 'answered', reply: parsed.data as ExecutorReply<ExecutorResults[R['type']]> };
}

/** Answers one decoded request: the result, or an error reply (never throws: the caller logs and answers INTERNAL). */
export type ExecutorRequestHandler = (request: ExecutorRequest) => Promise<ExecutorReply<ExecutorResults[ExecutorRequestType]>>;

/**
 * Subscribes the executor to every request subject in the queue group (one replica answers
 * each request) and answers with `handle`'s reply. A request that does not decode is answered
 * with `REQUEST.MALFORMED`; a handler that throws, with `INTERNAL` (logged here).
 * @returns the subscriptions, to drain at shutdown
 */
export function answerExecutorRequests(bus: Bus, handle: ExecutorRequestHandler, log: Logger): Subscription[] {
  return EXECUTOR_REQUEST_TYPES.map((type) =>
    bus.nc.subscribe(bus.names.executorRequestSubject(type), {
      queue: bus.names.executorRequestQueue,
      callback: (error, msg) => {
        if (error) {
          log.error({ err: error, request: type }, 'executor request subscription failed');
          return;
        }
        void answer(msg, handle, log);
      },
    }),
  );
}

async function answer(msg: Msg, handle: ExecutorRequestHandler, log: Logger): Promise<void> {
  const decoded = ExecutorRequest.safeParse(parseJson(msg.data));
  let reply: ExecutorReply<unknown>;
  if (!decoded.success) {
    reply = { ok: false, error: { code: 'REQUEST.MALFORMED', message: decoded.error.issues.map((i) => i.message).join('; ') } };
  } else {
    try {
      reply = await handle(decoded.data);
    } catch (error) {
      log.error({ err: error, request: decoded.data.type }, 'executor request failed');
      reply = { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
    }
  }
  try {
    if (!msg.respond(JSON.stringify(reply))) log.warn({ subject: msg.subject }, 'executor request without a reply subject; not answered');
  } catch (error) {
    // The connection closed while the request was worked on (shutdown): the requester times out.
    log.warn({ err: error, subject: msg.subject }, 'executor request answered after the bus closed; reply lost');
  }
}

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}
