/**
 * Runs an async pass now, or — when one is running — once more right after it: any number of
 * requests during a pass become one more pass, and passes never overlap. (The outbox relay's
 * `kick` works the same way.) With `minGapMs`, a pass starts no sooner than that after the
 * previous one started: requests in between wait for that moment and become one pass, so a
 * steady stream of requests costs at most one pass per gap, while a request after a quiet spell
 * still runs at once. `pass` must not throw: it handles and logs its own failures.
 */
export class CoalescedRun {
  private running: Promise<void> | null = null;
  private again = false;
  private waiting: { timer: NodeJS.Timeout; done: Promise<void>; fire: () => void } | null = null;
  private lastStartMs = Number.NEGATIVE_INFINITY;

  /** @param minGapMs the least time between the starts of two passes, in milliseconds (0: none) */
  constructor(
    private readonly pass: () => Promise<void>,
    private readonly minGapMs = 0,
  ) {}

  /** Requests a pass. */
  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.waiting) return;
    const waitMs = this.lastStartMs + this.minGapMs - Date.now();
    if (waitMs > 0) {
      let fire: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (fire = resolve));
      const timer = setTimeout(() => {
        this.waiting = null;
        this.request();
        fire();
      }, waitMs);
      this.waiting = { timer, done, fire };
      return;
    }
    this.lastStartMs = Date.now();
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.request();
      }
    });
  }

  /** Resolves when no pass is running or waiting for its gap (the ones requested before included). */
  async idle(): Promise<void> {
    while (this.running || this.waiting) await (this.running ?? this.waiting?.done);
  }
}
