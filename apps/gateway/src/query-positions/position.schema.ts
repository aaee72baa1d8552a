import { z } from 'zod';
import { LEG_ORDER_STATUSES, LEGGING_MODES, POSITION_STATUSES } from '@legwork/domain';

/**
 * The answers of `GET /api/positions` and `GET /api/positions/{id}` as zod schemas: the views in
 * position-view.ts and position-pnl.ts are typed with them (so they cannot answer another shape),
 * and the OpenAPI document is generated from them (http/openapi/). Strict objects: a field the
 * server adds without adding it here fails the build or, in the integration tests, the
 * response check of the test client. Quantities and amounts are decimal strings, times ISO 8601.
 */
const decimal = (description: string) => z.string().meta({ description, example: '0.006' });
const usdt = (description: string) => z.string().meta({ description: `${description} (USDT, decimal string)`, example: '12.5' });
const time = (description: string) => z.string().meta({ description: `${description} (ISO 8601)`, example: '2026-01-02T10:00:00.000Z' });
const side = z.enum(['buy', 'sell']);

/** The P&L a trader reads (see position-pnl.ts); the list shows it without `perSymbol` / `funding` / `lastScan`. */
export const PositionPnl = z
  .strictObject({
    source: z.enum(['mark-price', 'fills']).meta({ description: '`fills`: CLOSED / ROLLED_BACK, realised; `mark-price`: holds legs' }),
    totalUsdt: usdt('fills + funding; null when a mark price is missing').nullable(),
    realisedUsdt: usdt('realised on what was bought and sold'),
    unrealisedUsdt: usdt('what is held against mark prices; null when settled or a mark price is missing').nullable(),
    feesUsdt: usdt('fees paid (rebates negative)'),
    fundingUsdt: usdt('funding settled on what it held: received +, paid −'),
    markPricesAt: time('when the mark prices were read').nullable(),
    markPricesCached: z.boolean().nullable(),
    unavailableReason: z.string().nullable(),
  })
  .meta({ id: 'PositionPnl', description: 'null before the first fill' });
export type PositionPnl = z.infer<typeof PositionPnl>;

const SymbolPnl = z.strictObject({
  symbol: z.string(),
  netQuantity: decimal('bought − sold: > 0 held long, < 0 held short'),
  entryPrice: decimal('average price of the side held').nullable(),
  markPrice: decimal('mark price the held quantity is valued at').nullable(),
  realisedUsdt: usdt('realised'),
  unrealisedUsdt: usdt('unrealised').nullable(),
  feesUsdt: usdt('fees'),
});

const FundingSettlement = z.strictObject({
  symbol: z.string(),
  side: side.meta({ description: 'the side of the position’s leg that held it (`buy`: long, paid when the rate is positive)' }),
  fundingRate: decimal('the settlement rate'),
  heldQuantity: decimal('what the position held of the exchange position'),
  positionSize: decimal('the exchange position size'),
  fundingUsdt: usdt('this position’s part: received +, paid −'),
  settledAt: time('settlement time'),
});

const LastScanPnl = z.strictObject({
  pnlUsdt: usdt('reconciliation’s P&L on the opened quantities'),
  perLeg: z.array(z.strictObject({ symbol: z.string(), pnlUsdt: z.string() })),
  missingPrices: z.array(z.string()),
  computedAt: time('scan time'),
});

/** The detail view's P&L: the list's, plus per symbol, each funding settlement and the last scan's figure. */
export const PositionPnlDetail = PositionPnl.extend({
  perSymbol: z.array(SymbolPnl),
  funding: z.array(FundingSettlement),
  lastScan: LastScanPnl.nullable(),
}).meta({ id: 'PositionPnlDetail', description: 'null before the first fill' });
export type PositionPnlDetail = z.infer<typeof PositionPnlDetail>;

const Failure = z.strictObject({
  code: z.string().meta({ description: 'the executor’s stable code, e.g. EXECUTION.LEG_REJECTED' }),
  reason: z.string().nullable(),
});

const positionFields = {
  id: z.uuid(),
  status: z.enum(POSITION_STATUSES),
  health: z.enum(['IN_SYNC', 'ALTERED']).meta({ description: 'set by reconciliation; ALTERED = "Altered" in the UI' }),
  alteredSince: time('since when it is ALTERED').nullable(),
  indexId: z.uuid(),
  accountId: z.uuid(),
  positionMode: z.enum(['one_way', 'hedge']).meta({ description: 'the account’s position mode when accepted' }),
  direction: z.enum(['long', 'short']),
  notionalUsdt: usdt('requested notional'),
  onPartialFailure: z.enum(['halt', 'rollback']),
  legging: z.enum(LEGGING_MODES),
  failure: Failure.nullable(),
  createdAt: time('accepted at'),
  updatedAt: time('last change'),
};

/** One position of the list. */
export const PositionSummary = z.strictObject({ ...positionFields, pnl: PositionPnl.nullable() }).meta({ id: 'PositionSummary' });
export type PositionSummary = z.infer<typeof PositionSummary>;

/** `GET /api/positions`: newest first; `nextCursor` reads the page after this one (null: none). */
export const PositionPage = z
  .strictObject({
    positions: z.array(PositionSummary),
    nextCursor: z.string().nullable().meta({ description: 'pass as `cursor` for the next page; null on the last page' }),
  })
  .meta({ id: 'PositionPage' });
export type PositionPage = z.infer<typeof PositionPage>;

const ExchangeWords = z.strictObject({ retCode: z.number().int(), retMsg: z.string() });

const Leg = z.strictObject({
  purpose: z.enum(['open', 'close', 'rollback', 'restore']),
  legIndex: z.number().int(),
  symbol: z.string(),
  side,
  quantity: decimal('ordered quantity, base coin'),
  reduceOnly: z.boolean(),
  hedgeSide: z.enum(['long', 'short']).nullable(),
  orderLinkId: z.string(),
  exchangeOrderId: z.string().nullable(),
  status: z.enum(LEG_ORDER_STATUSES),
  filledQuantity: decimal('filled quantity'),
  averagePrice: decimal('average fill price').nullable(),
  reject: z.strictObject({ code: z.string(), reason: z.string().nullable(), exchange: ExchangeWords.nullable() }).nullable(),
  unwindOutcome: z.enum(['closed', 'already_flat', 'side_mismatch', 'still_open', 'failed']).nullable(),
  note: z.string().nullable(),
  fills: z.array(
    z.strictObject({
      execId: z.string(),
      price: decimal('fill price'),
      quantity: decimal('fill quantity'),
      fee: decimal('fee'),
      feeCurrency: z.string(),
      executedAt: time('execution time'),
    }),
  ),
});

const ExecutionQuality = z.strictObject({
  legs: z.array(
    z.strictObject({
      legIndex: z.number().int(),
      symbol: z.string(),
      side,
      arrivalMarkPrice: decimal('mark price when the basket was planned'),
      averageFillPrice: decimal('average fill price').nullable(),
      filledQuantity: decimal('filled quantity'),
      slippageBps: decimal('against the arrival mark, basis points, positive = worse').nullable(),
      feesUsdt: usdt('fees'),
    }),
  ),
  implementationShortfallBps: decimal('basis points').nullable(),
  leggingWindowMs: z.number().int().nullable(),
  legging: z.enum(LEGGING_MODES),
});

const plannedLeg = { legIndex: z.number().int(), symbol: z.string(), side, plannedQuantity: decimal('planned quantity') };

/** `GET /api/positions/{id}`. */
export const PositionDetail = z
  .strictObject({
    ...positionFields,
    failure: Failure.extend({ exchange: ExchangeWords.optional() }).nullable(),
    pnl: PositionPnlDetail.nullable(),
    legs: z.array(Leg),
    components: z.array(
      z.strictObject({
        legIndex: z.number().int(),
        symbol: z.string(),
        side,
        expectedQuantity: decimal('recorded quantity'),
        entryPrice: decimal('entry price'),
      }),
    ),
    history: z.array(
      z.strictObject({
        from: z.enum(POSITION_STATUSES).nullable(),
        to: z.enum(POSITION_STATUSES),
        reason: z.string().nullable(),
        at: time('changed at'),
      }),
    ),
    deviations: z.array(
      z.strictObject({
        symbol: z.string(),
        kind: z.enum(['quantity', 'leverage']),
        expected: decimal('expected quantity'),
        actual: decimal('exchange quantity').nullable(),
        delta: decimal('actual − expected').nullable(),
        expectedLeverage: decimal('expected leverage').nullable(),
        actualLeverage: decimal('exchange leverage').nullable(),
        sharedWith: z.array(z.uuid()),
        explanation: z.string(),
        firstSeenAt: time('first seen'),
        lastSeenAt: time('last seen'),
        clearedAt: time('cleared').nullable(),
      }),
    ),
    composition: z
      .strictObject({
        acquired: z.array(z.strictObject({ ...plannedLeg, filledQuantity: decimal('filled'), entryPrice: decimal('entry price') })),
        missing: z.array(z.strictObject(plannedLeg)),
      })
      .nullable()
      .meta({ description: 'FAILED / ROLLING_BACK / ROLLED_BACK: which components were acquired and which are missing' }),
    executionQuality: ExecutionQuality.nullable(),
  })
  .meta({ id: 'PositionDetail' });
export type PositionDetail = z.infer<typeof PositionDetail>;
