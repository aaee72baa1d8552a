/**
 * Crash points for the crash-safety tests (the failpoint pattern of TiKV's fail-rs, reduced to one
 * action: die). `EXECUTOR_FAILPOINTS=leg_sent:2` makes this process SIGKILL itself when it
 * reaches `hit('leg_sent', 2)` — exactly as `kill -9` would, at a precise step of a basket.
 * Inactive (a set lookup) unless configured; never set in production configuration.
 *
 * Points: `claimed`, `planned`, `leg_submitted:<i>` (ledger says SUBMITTED, request not sent),
 * `leg_sent:<i>` (the exchange accepted, fills not verified), `leg_recorded:<i>` (fills committed),
 * `leg_refused:<i>` (the exchange's refusal committed), and in `batch` legging mode
 * `batch_submitted` (every leg of the request SUBMITTED, request not sent) and `batch_sent` (the
 * create-batch answer received, nothing of it recorded), then `leg_sent:<i>` / `leg_recorded:<i>` per leg,
 * `before_active`; the leg points of a close, rollback or restore leg carry its purpose:
 * `close_leg_sent:<i>`, `rollback_leg_recorded:<i>`, …
 */
export class Failpoints {
  private readonly armed: Set<string>;

  constructor(spec: string) {
    this.armed = new Set(
      spec
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }

  hit(name: string, index?: number): void {
    if (this.armed.size === 0) return;
    if (this.armed.has(index === undefined ? name : `${name}:${index}`)) process.kill(process.pid, 'SIGKILL');
  }
}
