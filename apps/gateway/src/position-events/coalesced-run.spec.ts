import { CoalescedRun } from './coalesced-run';

describe('CoalescedRun', () => {
  it('runs at once, folds requests made during a pass into one more pass, never overlaps', async () => {
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    let release: () => void = () => undefined;
    const run = new CoalescedRun(async () => {
      passes += 1;
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((resolve) => (release = resolve));
      active -= 1;
    });
    run.request();
    expect(passes).toBe(1);
    run.request();
    run.request();
    run.request();
    release();
    await new Promise((r) => setImmediate(r));
    expect(passes).toBe(2);
    release();
    await run.idle();
    expect([passes, maxActive]).toEqual([2, 1]);
  });

  it('is idle when nothing was requested', async () => {
    await expect(new CoalescedRun(async () => undefined).idle()).resolves.toBeUndefined();
  });
});
