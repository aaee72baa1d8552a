/**
 * Runs an async pass now, or — when one is running — once more right after it: any number of
 * requests during a pass become one more pass, and passes never overlap. (The outbox relay's
 * `kick` works the same way.) `pass` must not throw: it handles and logs its own failures.
 */
export class CoalescedRun {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly pass: () => Promise<void>) {}

  /** Requests a pass. */
  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.request();
      }
    });
  }

  /** Resolves when no pass is running (the one requested after it included). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
