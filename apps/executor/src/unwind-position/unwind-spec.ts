import type { Logger } from 'pino';
import type { HeldLeg, PositionStatus } from '@legwork/domain';
import type { ExchangePort } from '@legwork/exchange';
import type { PositionRecord } from '@legwork/persistence';

/** The two unwinds: a close of an `ACTIVE` position, a rollback of the filled legs of a `FAILED` one. */
export type UnwindKind = 'close' | 'rollback';

/** A leg the position holds as recorded (side and quantity, base coin), with its place in the basket. */
export type RecordedLeg = HeldLeg & { legIndex: number };

/** The position's status while each unwind works, once it is done, and when it could not finish. */
export const UNWIND_STATUSES = {
  close: { working: 'CLOSING', done: 'CLOSED', back: 'ACTIVE' },
  rollback: { working: 'ROLLING_BACK', done: 'ROLLED_BACK', back: 'FAILED' },
} as const satisfies Record<UnwindKind, { working: PositionStatus; done: PositionStatus; back: PositionStatus }>;

/** What makes an unwind a close or a rollback, besides its statuses; everything else about unwinding is shared. */
export interface UnwindSpec {
  kind: UnwindKind;
  /** What the position holds, read once when the unwind is planned. */
  held(position: PositionRecord, exchange: ExchangePort, log: Logger): Promise<RecordedLeg[]>;
}
