import { DataSource } from 'typeorm';

/** One transient failure of a trade command's work, as one delivery of it ended. */
export interface CommandFailure {
  commandId: string;
  /** The delivery that failed, for the record (JetStream stream sequence and delivery count). */
  streamSequence: number;
  deliveryCount: number;
  commandType: string;
  positionId: string;
  /** Stable error code (`EXCHANGE.UNAVAILABLE`, `EXECUTION.LEG_UNCONFIRMED`, …) and its message. */
  code: string;
  reason: string;
}

/**
 * The durable count of a command's transient failures, from which the executor's retry schedule
 * is chosen (issue 11). Only a delivery that ran and failed is recorded, once, by the one call its
 * handler makes; a delivery cut short by a crash or an ack timeout records nothing, so a crash
 * never uses up a retry.
 *
 * Invariant: every row is a delivery that failed; no delivery has two. The row is committed
 * before the consumer naks: a crash between the two leaves that failure counted (it happened)
 * and the message to the ack-wait redelivery, a new delivery that counts only if it fails too.
 * Two deliveries of one command failing at the same instant (a stale one and its successor) may
 * both be told the same count: the schedule then allows one retry more, never one less.
 */
export class CommandFailureRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records `failure`.
   * @returns the command's transient failures so far, this one included (≥ 1)
   * @throws the database error when it cannot be recorded (nothing is counted then)
   */
  async record(failure: CommandFailure): Promise<number> {
    // The sub-select sees the table as it was before this statement, without the row it inserts.
    const [row] = (await this.dataSource.query(
      `WITH inserted AS (
         INSERT INTO command_failures (command_id, stream_sequence, delivery_count, command_type, position_id, code, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id
       )
       SELECT (SELECT count(*) FROM command_failures WHERE command_id = $1) + (SELECT count(*) FROM inserted) AS "failureCount"`,
      [
        failure.commandId,
        failure.streamSequence,
        failure.deliveryCount,
        failure.commandType,
        failure.positionId,
        failure.code,
        failure.reason,
      ],
    )) as { failureCount: string }[];
    return Number(row?.failureCount);
  }
}
