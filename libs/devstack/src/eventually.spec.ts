import { eventually, EventuallyTimeoutError } from './eventually';

describe('eventually', () => {
  it('resolves with the first value that is not undefined, null or false', async () => {
    let calls = 0;
    const results = [undefined, null, false, 0] as const;
    const value = await eventually(() => results[calls++], { what: 'a value', intervalMs: 1 });
    expect(value).toBe(0);
    expect(calls).toBe(4);
  });

  it('treats a throw as "not yet"', async () => {
    let calls = 0;
    const value = await eventually(
      async () => {
        calls++;
        if (calls < 3) throw new Error('not there');
        return 'there';
      },
      { what: 'the row', intervalMs: 1 },
    );
    expect(value).toBe('there');
  });

  it('names what it waited for and the last error on timeout', async () => {
    const attempt = eventually(
      () => {
        throw new Error('connection refused');
      },
      { what: 'position p1 to be OPEN', timeoutMs: 50, intervalMs: 10 },
    );
    await expect(attempt).rejects.toThrow(EventuallyTimeoutError);
    await expect(attempt).rejects.toThrow(
      /timed out after 50 ms waiting for position p1 to be OPEN \(\d+ attempts; last error: connection refused\)/,
    );
  });

  it('reports the last result when nothing threw', async () => {
    await expect(eventually(() => false, { what: 'a flag', timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(/last result: false/);
  });
});
