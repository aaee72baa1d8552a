import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ExecutorContext } from '../position-work/executor-context';

/** Where a poison message sat, and its bytes as text. */
export interface PoisonMessage {
  subject: string;
  stream: string;
  streamSequence: number;
  payload: string;
}

/**
 * A message on the command bus that can never be executed (not JSON, an unknown type, a wrong
 * schema version): logged and alerted with its first KiB, so it can be looked at after it is
 * removed. The message is removed once this returns; a throw leaves it to the ack-wait redelivery.
 */
@Injectable()
export class RecordPoisonCommandUseCase {
  constructor(private readonly ctx: ExecutorContext) {}

  /** @param reason why it could not be decoded */
  async execute(message: PoisonMessage, reason: string, log: Logger): Promise<void> {
    const { subject, stream, streamSequence, payload } = message;
    log.error({ subject, seq: streamSequence, reason }, 'poison command terminated');
    await this.ctx.relay.enqueue(
      this.ctx.alerts.build({
        kind: 'bus.poison_message',
        severity: 'warning',
        summary: `A message on ${subject} (stream sequence ${streamSequence}) could not be decoded and was removed: ${reason}`,
        positionId: null,
        accountId: null,
        details: { subject, streamSequence, payload: payload.slice(0, 1024) },
        dedupeKey: `${stream}:${streamSequence}`,
      }),
    );
  }
}
