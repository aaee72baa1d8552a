// The soak's traders: a steady, seeded stream of opens, closes, rollbacks and manual trades across
// several accounts, sent the way a careful frontend would (an Idempotency-Key on every open, the
// same request retried while the gateway is unreachable or answers 5xx/429). What the gateway
// definitively accepted (202) is recorded: those are the commands the soak holds Legwork to.
import type { DataSource } from 'typeorm';
import { delay } from '../internal/run-command';
import type { GatewayClient } from '../gateway-client';
import type { SimControl } from '../sim-control';
import type { SoakRandom } from './soak-settings';

/** A trader's seeded account (one per user) and its fixed direction. */
export interface SoakAccount {
  accountId: string;
  apiKey: string;
  indexId: string;
  direction: 'long' | 'short';
  client: GatewayClient;
}

/** Symbols only manual trades use, so each manual position is untracked exposure by definition. */
export const MANUAL_SYMBOLS: Record<string, { minQty: number; maxQty: number }> = {
  ADAUSDT: { minQty: 20, maxQty: 60 },
  TRXUSDT: { minQty: 60, maxQty: 200 },
  ZRXUSDT: { minQty: 30, maxQty: 90 },
};

export interface TraderRecord {
  acceptedOpens: string[];
  acceptedUnwinds: { positionId: string; kind: 'close' | 'rollback' }[];
  manualTrades: { accountId: string; symbol: string; side: 'Buy' | 'Sell'; qty: string }[];
  /** Requests answered 4xx other than the expected "not in a state to close" refusals. */
  refused: { what: string; status: number; code: string }[];
  /** Requests that got no definitive answer within the give-up time. */
  unanswered: number;
  actions: { open: number; close: number; rollback: number; manual: number };
}

const GIVE_UP_MS = 60_000;

/** Runs the trader loop until `until` (ms since epoch). Never throws: failures are recorded. */
export class SoakTrader {
  readonly record: TraderRecord = {
    acceptedOpens: [],
    acceptedUnwinds: [],
    manualTrades: [],
    refused: [],
    unanswered: 0,
    actions: { open: 0, close: 0, rollback: 0, manual: 0 },
  };
  private opened = 0;

  constructor(
    private readonly accounts: readonly SoakAccount[],
    private readonly sim: SimControl,
    private readonly db: DataSource,
    private readonly random: SoakRandom,
    private readonly seed: number,
    private readonly actionEveryMs: number,
  ) {}

  async run(until: number): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (Date.now() < until) {
      const account = this.random.pick(this.accounts);
      const roll = this.random.unit();
      const action =
        roll < 0.45
          ? this.open(account)
          : roll < 0.75
            ? this.unwind(account, 'close')
            : roll < 0.85
              ? this.unwind(account, 'rollback')
              : this.manualTrade(account);
      const task = action.finally(() => inFlight.delete(task));
      inFlight.add(task);
      await delay(this.random.pauseAround(this.actionEveryMs));
    }
    await Promise.all(inFlight);
  }

  private async open(account: SoakAccount): Promise<void> {
    this.record.actions.open += 1;
    this.opened += 1;
    const body = {
      indexId: account.indexId,
      notionalUsdt: String(this.random.int(300, 1500)),
      direction: account.direction,
      onPartialFailure: this.random.unit() < 0.3 ? 'rollback' : 'halt',
    };
    const key = `soak-${this.seed}-${this.opened}`;
    const answer = await this.persist(() => account.client.openPosition(body, key));
    if (answer?.status === 202) this.record.acceptedOpens.push(String(answer.body['positionId']));
    else if (answer) this.refusal('open', answer);
  }

  private async unwind(account: SoakAccount, kind: 'close' | 'rollback'): Promise<void> {
    const wanted = kind === 'close' ? 'ACTIVE' : 'FAILED';
    const rows: { id: string }[] = await this.db
      .query('SELECT id FROM synthetic_positions WHERE account_id = $1 AND status = $2', [account.accountId, wanted])
      // While PostgreSQL restarts there is nothing to choose from: this action is skipped.
      .catch(() => []);
    if (rows.length === 0) return;
    this.record.actions[kind] += 1;
    const positionId = this.random.pick(rows).id;
    const answer = await this.persist(() => account.client.request('POST', `/api/positions/${positionId}/${kind}`));
    if (answer?.status === 202) this.record.acceptedUnwinds.push({ positionId, kind });
    // 409: the position moved on meanwhile (another close, a retry that was in fact accepted);
    // 422: a FAILED position with nothing to roll back.
    else if (answer && answer.status !== 409 && answer.status !== 422) this.refusal(kind, answer);
  }

  private async manualTrade(account: SoakAccount): Promise<void> {
    this.record.actions.manual += 1;
    const symbol = this.random.pick(Object.keys(MANUAL_SYMBOLS));
    const { minQty, maxQty } = MANUAL_SYMBOLS[symbol] as { minQty: number; maxQty: number };
    const trade = { apiKey: account.apiKey, symbol, side: 'Buy' as const, qty: String(this.random.int(minQty, maxQty)) };
    try {
      await this.sim.manualTrade(trade);
      this.record.manualTrades.push({ accountId: account.accountId, symbol, side: trade.side, qty: trade.qty });
    } catch (error) {
      this.record.refused.push({ what: `manual ${symbol}`, status: 0, code: (error as Error).message.slice(0, 200) });
    }
  }

  /** Sends until a definitive answer (2xx or 4xx other than 429), or gives up after GIVE_UP_MS. */
  private async persist(send: () => Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>) {
    const deadline = Date.now() + GIVE_UP_MS;
    while (Date.now() < deadline) {
      const answer = await send().catch(() => undefined);
      if (answer && answer.status < 500 && answer.status !== 429) return answer;
      const retryAfterS = Number(answer?.headers.get('retry-after') ?? 0);
      await delay(Math.max(500, retryAfterS * 1000));
    }
    this.record.unanswered += 1;
    return undefined;
  }

  private refusal(what: string, answer: { status: number; body: Record<string, unknown> }): void {
    const error = answer.body['error'] as { code?: string } | undefined;
    this.record.refused.push({ what, status: answer.status, code: error?.code ?? JSON.stringify(answer.body).slice(0, 200) });
  }
}
