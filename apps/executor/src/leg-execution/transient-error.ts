import type { ExecutionFailureCode } from '../errors/execution-error-codes';

/**
 * The basket cannot progress right now for a reason that may pass (exchange unreachable, an
 * order's outcome not yet known). The command is redelivered on the retry schedule; the next
 * delivery resumes from the ledger.
 */
export class TransientExecutionError extends Error {
  constructor(
    readonly code: ExecutionFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransientExecutionError';
  }
}

/** Another executor took over this position's lease: stop touching it. */
export class LeaseLostError extends Error {
  constructor(positionId: string) {
    super(`lease on position ${positionId} was taken over`);
    this.name = 'LeaseLostError';
  }
}
