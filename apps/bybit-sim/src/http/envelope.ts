// Bybit's V5 response envelope: {retCode, retMsg, result, retExtInfo, time}. Errors travel as
// HTTP 200 with a non-zero retCode and an empty result, as Bybit's REST API does.
import { BybitError } from '../engine/errors';

/** The JSON every /v5 endpoint answers with. */
export interface Envelope {
  readonly retCode: number;
  readonly retMsg: string;
  readonly result: unknown;
  /** {} on every endpoint but create-batch, whose per-order codes travel here as `list`. */
  readonly retExtInfo: Readonly<Record<string, unknown>>;
  readonly time: number;
}

/** Success envelope. Bybit answers "OK" on most endpoints and "" or "success" on a few. */
export function ok(result: unknown, now: number, retMsg = 'OK'): Envelope {
  return { retCode: 0, retMsg, result, retExtInfo: {}, time: now };
}

/** Error envelope with an empty result object. */
export function failure(retCode: number, retMsg: string, now: number): Envelope {
  return { retCode, retMsg, result: {}, retExtInfo: {}, time: now };
}

/** Error envelope of a BybitError. */
export function failureOf(error: BybitError, now: number): Envelope {
  return failure(error.retCode, error.retMsg, now);
}
