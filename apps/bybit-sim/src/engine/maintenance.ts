// Maintenance windows: of the whole exchange (announced on /v5/system/status) or of one symbol.
// While a window is ongoing the exchange refuses trading requests with Bybit's codes; reads keep
// working, so a client can still see what it holds.
import { BybitError, RetCode } from './errors';

/** A maintenance window; `symbol` undefined = the whole exchange. Times in epoch ms, end exclusive. */
export interface MaintenanceWindow {
  readonly id: string;
  readonly title: string;
  readonly symbol: string | undefined;
  readonly begin: number;
  end: number;
}

/** The `state` values of /v5/system/status (docs/v5/system-status.mdx; ccxt fetchStatus reads "ongoing", "scheduled"). */
export type MaintenanceState = 'scheduled' | 'ongoing' | 'completed';

/** A window's state at `now`. */
export function maintenanceState(window: MaintenanceWindow, now: number): MaintenanceState {
  if (now < window.begin) return 'scheduled';
  return now < window.end ? 'ongoing' : 'completed';
}

/** Every maintenance window, past, present and future. */
export class MaintenanceBook {
  private readonly windows: MaintenanceWindow[] = [];

  add(window: MaintenanceWindow): void {
    this.windows.push(window);
  }

  /**
   * Ends now every window of the scope (the exchange when `symbol` is undefined) that is not
   * completed: an ongoing one ends at `now`, a scheduled one is dropped.
   *
   * @returns how many windows were ended or dropped
   */
  end(symbol: string | undefined, now: number): number {
    let changed = 0;
    for (let index = this.windows.length - 1; index >= 0; index -= 1) {
      const window = this.windows[index] as MaintenanceWindow;
      if (window.symbol !== symbol || maintenanceState(window, now) === 'completed') continue;
      changed += 1;
      if (maintenanceState(window, now) === 'scheduled') this.windows.splice(index, 1);
      else window.end = now;
    }
    return changed;
  }

  /** The windows, oldest begin first. */
  all(): MaintenanceWindow[] {
    return [...this.windows].sort((a, b) => a.begin - b.begin);
  }

  /** True while a window of the whole exchange is ongoing. */
  exchangeDown(now: number): boolean {
    return this.windows.some((window) => window.symbol === undefined && maintenanceState(window, now) === 'ongoing');
  }

  /** True while a window of the symbol is ongoing. */
  symbolDown(symbol: string, now: number): boolean {
    return this.windows.some((window) => window.symbol === symbol && maintenanceState(window, now) === 'ongoing');
  }

  /**
   * Refuses a trading request during maintenance (codes from docs/v5/error.mdx, copied in
   * ../shared/data/bybit-v5/errors.json): the whole exchange → 10016 "Server error." (the
   * WebSocket table's 10016 reads "internal server error; Service is restarting"); one symbol →
   * 110066 "Trading is currently not allowed.".
   *
   * @param symbol the request's symbol; undefined for an account-wide request
   * @throws BybitError 10016, 110066
   */
  check(symbol: string | undefined, now: number): void {
    if (this.exchangeDown(now)) throw BybitError.of(RetCode.SERVER_ERROR);
    if (symbol !== undefined && this.symbolDown(symbol, now)) throw BybitError.of(RetCode.TRADING_NOT_ALLOWED);
  }

  clear(): void {
    this.windows.length = 0;
  }
}
