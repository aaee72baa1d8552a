import { EXECUTOR_ERROR_CODES, unwindFailureCode } from './execution-error-codes';

describe('unwindFailureCode', () => {
  it('names the unwind kind in the code, as stored on positions and command failures', () => {
    expect(unwindFailureCode('close', 'INCOMPLETE')).toBe('CLOSE.INCOMPLETE');
    expect(unwindFailureCode('rollback', 'INCOMPLETE')).toBe('ROLLBACK.INCOMPLETE');
    expect(unwindFailureCode('close', 'RETRIES_EXHAUSTED')).toBe('CLOSE.RETRIES_EXHAUSTED');
    expect(unwindFailureCode('rollback', 'POSITION_LIST_CONTRADICTS')).toBe('ROLLBACK.POSITION_LIST_CONTRADICTS');
  });

  it('only ever answers a listed executor code', () => {
    for (const kind of ['close', 'rollback'] as const) {
      for (const what of ['POSITION_LIST_CONTRADICTS', 'RETRIES_EXHAUSTED', 'INCOMPLETE'] as const) {
        expect(EXECUTOR_ERROR_CODES).toContain(unwindFailureCode(kind, what));
      }
    }
  });
});
