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

describe('CoalescedRun with a minimum gap', () => {
  it('runs the first request at once, folds the requests within the gap into ONE pass at its end', async () => {
    const startedAt: number[] = [];
    const run = new CoalescedRun(async () => {
      startedAt.push(Date.now());
    }, 50);
    const t0 = Date.now();
    run.request();
    expect(startedAt).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 10; i += 1) run.request();
    expect(startedAt).toHaveLength(1);
    await run.idle();
    expect(startedAt).toHaveLength(2);
    expect((startedAt[1] as number) - t0).toBeGreaterThanOrEqual(49);
    await new Promise((r) => setTimeout(r, 60));
    run.request();
    expect(startedAt).toHaveLength(3);
    await run.idle();
  });
});
