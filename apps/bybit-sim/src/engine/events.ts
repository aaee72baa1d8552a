// What the exchange tells its listeners after each change of an account, in the engine's own
// records: the private stream (src/stream/) turns them into Bybit's messages; the engine knows
// nothing of WebSockets. Listeners run synchronously after the change is complete, so the records
// they receive are the state right after it; they must not call back into the exchange.
import { Dec } from './decimal';
import { Execution, Order, PositionState } from './types';
import { WalletView } from './wallet';

/** A position as it stands after a change, with what its row shows besides its state. */
export interface PositionUpdate {
  readonly state: PositionState;
  /** Mark price of the symbol at the change (USDT). */
  readonly markPrice: Dec;
  /** Leverage of the position's symbol and side. */
  readonly leverage: Dec;
}

/** One execution with the PnL it realised before fees (the transaction log's `cashFlow`, 0 on funding). */
export interface ExecutionUpdate {
  readonly execution: Execution;
  readonly execPnl: Dec;
}

/**
 * Why an account changed: an order (API, by hand, or the exchange's forced close — see the order's
 * `createType`), a funding settlement, or a leverage change.
 */
export type AccountChangeCause = 'order' | 'funding' | 'leverage';

/** One change of one account: everything Bybit would push about it. */
export interface AccountChange {
  readonly kind: 'account';
  readonly cause: AccountChangeCause;
  /** The account's identity key (the key it was created with). */
  readonly apiKey: string;
  readonly userId: number;
  /** Epoch ms of the change (the engine's `now`). */
  readonly time: number;
  /** The order created and matched (cause "order"). */
  readonly order?: Order;
  /** Executions of the order, one per book level, or the funding executions; oldest first. */
  readonly executions: readonly ExecutionUpdate[];
  /** Positions the change touched (or, for a leverage change, re-margined). */
  readonly positions: readonly PositionUpdate[];
  /** The wallet right after the change. */
  readonly wallet: WalletView;
}

/** The exchange was reset: every account is gone. */
export interface ExchangeReset {
  readonly kind: 'reset';
}

export type ExchangeEvent = AccountChange | ExchangeReset;

/** A listener of {@link ExchangeEvents}. */
export type ExchangeEventListener = (event: ExchangeEvent) => void;

/** The exchange's listeners; `emit` calls each in the order they subscribed. */
export class ExchangeEvents {
  private readonly listeners = new Set<ExchangeEventListener>();

  /** @returns a function that removes the listener */
  subscribe(listener: ExchangeEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ExchangeEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
