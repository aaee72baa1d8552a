import type { Logger } from 'pino';
import type { PrivateStreamHandle } from '@legwork/exchange';
import type { AccountStreamConnector } from '@legwork/exchange-accounts';
import { AccountFillWaiters, StreamFillResult } from './account-fill-waiters';

/** Settings of the executor's stream fills (durations in milliseconds). */
export interface StreamFillSettings {
  /** How long a sent leg waits for its executions on a connected stream before REST (`EXECUTOR_STREAM_FILL_WAIT_MS`). */
  waitMs: number;
  /** An account's stream is closed this long after its last basket released it (`EXECUTOR_STREAM_IDLE_MS`). */
  idleMs: number;
  /** Executions are kept this long for a leg that asks late (≥ the longest leg). */
  keepMs: number;
}

interface Followed {
  waiters: AccountFillWaiters;
  users: number;
  handle: PrivateStreamHandle | null;
  idle: NodeJS.Timeout | null;
  stopped: boolean;
}

/**
 * The private streams of the accounts the executor is trading for, feeding their legs' fill
 * confirmations (issue 18, "fills from the stream"). A basket `acquire`s its account's stream
 * when it starts (opened then, through `AccountStreamConnector`: the key decrypted only for the
 * stream's `auth`) and releases it when it ends; a stream nobody holds is closed after `idleMs`,
 * so a next basket of the same account finds it connected. A leg asks {@link confirm} once the
 * exchange accepted its order: the fill from the stream, or why REST must confirm it.
 *
 * Without a connector (`EXECUTOR_STREAM_FILLS=false`) every answer is REST (`off`): exactly the
 * behaviour before streams. Each process follows its own accounts; the orphan monitor follows
 * its own (a second connection to the same account is allowed by Bybit).
 */
export class StreamFills {
  private readonly followed = new Map<string, Followed>();

  constructor(
    private readonly connector: AccountStreamConnector | null,
    private readonly settings: StreamFillSettings,
    private readonly log: Logger,
  ) {}

  /** The wait a freshly sent leg gives the stream (ms). */
  get waitMs(): number {
    return this.settings.waitMs;
  }

  /**
   * Holds `accountId`'s stream open (opening it when needed) until the returned release is
   * called. Never throws: a stream that cannot be opened only means REST confirms the fills.
   */
  acquire(accountId: string): () => void {
    if (!this.connector) return () => undefined;
    let entry = this.followed.get(accountId);
    if (!entry) {
      entry = { waiters: new AccountFillWaiters(this.settings.keepMs), users: 0, handle: null, idle: null, stopped: false };
      this.followed.set(accountId, entry);
      this.open(accountId, entry, this.connector);
    }
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = null;
    entry.users += 1;
    const held = entry;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users === 0) held.idle = setTimeout(() => this.stop(accountId, held), this.settings.idleMs);
    };
  }

  /**
   * The fill of the leg `orderLinkId` (quantity `quantity`, base coin) from the account's stream,
   * waiting up to `waitMs` on a connected stream (0: only what already arrived); else why REST
   * confirms it.
   */
  confirm(accountId: string, orderLinkId: string, quantity: string, waitMs: number): Promise<StreamFillResult> {
    const entry = this.followed.get(accountId);
    if (!entry || entry.stopped) return Promise.resolve({ source: 'rest', reason: 'off' });
    return entry.waiters.wait(orderLinkId, quantity, waitMs);
  }

  /** Closes every stream (shutdown). */
  closeAll(): void {
    for (const [accountId, entry] of this.followed) this.stop(accountId, entry);
  }

  private open(accountId: string, entry: Followed, connector: AccountStreamConnector): void {
    const log = this.log.child({ accountId });
    connector
      .follow(accountId, {
        onConnected: (reconnected) => {
          entry.waiters.onConnected();
          log.info({ reconnected }, 'private stream connected: legs confirmed from it');
        },
        onExecutions: (executions, receivedAt) =>
          entry.waiters.onExecutions(
            executions.map((e) => e.execution),
            receivedAt,
          ),
        onRefused: (message) => {
          entry.waiters.onDisconnected();
          this.stop(accountId, entry);
          log.warn({ message }, 'private stream auth refused; fills confirmed over REST');
        },
        onDisconnected: (reason) => {
          entry.waiters.onDisconnected();
          log.warn({ reason }, 'private stream cut; fills confirmed over REST until it reconnects');
        },
      })
      .then((outcome) => {
        if (outcome.kind !== 'following') {
          log.warn({ outcome: outcome.kind }, 'no private stream for the account; fills confirmed over REST');
          return this.stop(accountId, entry);
        }
        // Released and stopped while the account was being read: close what just opened.
        if (entry.stopped) outcome.stream.close();
        else entry.handle = outcome.stream;
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'could not open the private stream; fills confirmed over REST');
        this.stop(accountId, entry);
      });
  }

  private stop(accountId: string, entry: Followed): void {
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = null;
    entry.stopped = true;
    entry.handle?.close();
    entry.handle = null;
    entry.waiters.onDisconnected();
    if (this.followed.get(accountId) === entry) this.followed.delete(accountId);
  }
}
