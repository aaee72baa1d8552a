// The USDT wallet figures of one account, pure: from its balance, its positions, each position's
// leverage and the mark prices (docs/v5/account/wallet-balance.mdx semantics).
import { Dec, ZERO } from './decimal';
import { MAINTENANCE_MARGIN_RATE, totalInitialMargin } from './leverage';
import { unrealisedPnl } from './position-math';
import { PositionState } from './types';

/** USDT wallet figures of an account (docs/v5/account/wallet-balance.mdx semantics). */
export interface WalletView {
  readonly walletBalance: Dec;
  /** Σ |size| × entry / leverage: initial margin of all positions. */
  readonly positionIM: Dec;
  /** 0.5 % of position value: a flat tier-1 maintenance margin. */
  readonly positionMM: Dec;
  readonly unrealisedPnl: Dec;
  readonly cumRealisedPnl: Dec;
  /** walletBalance − positionIM: what a new order may use. */
  readonly availableBalance: Dec;
  readonly equity: Dec;
}

/** Wallet figures of `walletBalance` (USDT) and `positions`, at `leverage(position)` and `mark(symbol)` (USDT). */
export function walletView(
  walletBalance: Dec,
  positions: readonly PositionState[],
  leverage: (position: PositionState) => Dec,
  mark: (symbol: string) => Dec,
): WalletView {
  const positionIM = totalInitialMargin([...positions], leverage);
  let positionMM = ZERO;
  let upl = ZERO;
  let cumRealisedPnl = ZERO;
  for (const position of positions) {
    positionMM = positionMM.plus(position.size.abs().mul(mark(position.symbol)).mul(MAINTENANCE_MARGIN_RATE));
    upl = upl.plus(unrealisedPnl(position, mark(position.symbol)));
    cumRealisedPnl = cumRealisedPnl.plus(position.cumRealisedPnl);
  }
  return {
    walletBalance,
    positionIM,
    positionMM,
    unrealisedPnl: upl,
    cumRealisedPnl,
    availableBalance: walletBalance.minus(positionIM),
    equity: walletBalance.plus(upl),
  };
}
