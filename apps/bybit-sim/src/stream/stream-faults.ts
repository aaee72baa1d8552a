// Message faults of the private stream, pure: the next messages of an account (or of every
// account), optionally of one topic, are delayed or sent twice. Same rule as the REST faults
// (engine/faults.ts): a post for an account replaces that account's list, a global post replaces
// the global list and drops every per-account one; an account uses its own list if it has one,
// else the global one. Each message delivered to a connection consumes one count of the first
// matching fault.
import { StreamTopic } from './stream-topics';

/** What a message fault does. */
export type StreamMessageEffect = 'delay' | 'duplicate';
export const STREAM_MESSAGE_EFFECTS: readonly StreamMessageEffect[] = ['delay', 'duplicate'];

/**
 * One message fault. `delay` holds the message `delayMs` while later messages go on (so it arrives
 * after them, out of order, with its original `creationTime`); `duplicate` sends it twice, same id.
 */
export interface StreamMessageFault {
  readonly effect: StreamMessageEffect;
  /** Only messages of this topic; every topic when undefined. */
  readonly topic?: StreamTopic;
  /** How many messages it applies to (≥ 1). */
  readonly count: number;
  /** Delay in ms (`delay` only). */
  readonly delayMs?: number;
}

interface Pending {
  readonly fault: StreamMessageFault;
  remaining: number;
}

/** The message faults in force. */
export class StreamFaultBook {
  private global: Pending[] = [];
  private readonly byAccount = new Map<string, Pending[]>();

  /** Replaces the faults of one account, or (no apiKey) the global ones, dropping every per-account list. */
  replace(faults: readonly StreamMessageFault[], apiKey?: string): void {
    const pending = faults.map((fault) => ({ fault, remaining: fault.count }));
    if (apiKey !== undefined) {
      this.byAccount.set(apiKey, pending);
      return;
    }
    this.global = pending;
    this.byAccount.clear();
  }

  /** Clears one account's faults, or all. */
  clear(apiKey?: string): void {
    if (apiKey !== undefined) {
      this.byAccount.delete(apiKey);
      return;
    }
    this.global = [];
    this.byAccount.clear();
  }

  /** Consumes one count of the first fault matching a message of `topic` to the account. */
  take(apiKey: string, topic: StreamTopic): StreamMessageFault | undefined {
    const list = this.byAccount.get(apiKey) ?? this.global;
    const match = list.find((pending) => pending.remaining > 0 && (pending.fault.topic === undefined || pending.fault.topic === topic));
    if (match === undefined) return undefined;
    match.remaining -= 1;
    return match.fault;
  }

  /** The faults in force with their remaining counts. */
  snapshot(): { global: unknown[]; byAccount: Record<string, unknown[]> } {
    const rows = (list: Pending[]): unknown[] => list.map((pending) => ({ ...pending.fault, remaining: pending.remaining }));
    return { global: rows(this.global), byAccount: Object.fromEntries([...this.byAccount].map(([key, list]) => [key, rows(list)])) };
  }
}
