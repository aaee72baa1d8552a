// Renders engine records as Bybit V5 JSON rows: the field names and string encodings of the
// documented responses (../shared/data/bybit-v5/*.json). Quantities print with the qtyStep's
// decimals and prices with the priceScale's, like Bybit; derived values without trailing zeros.
import { Dec, derived, plain } from '../engine/decimal';
import { WalletView } from '../engine/exchange';
import { Instrument, formatPrice, formatQty } from '../engine/instruments';
import { MAINTENANCE_MARGIN_RATE, liquidationPrice } from '../engine/leverage';
import { initialMargin, positionSide, unrealisedPnl } from '../engine/position-math';
import { Execution, Order, PositionState, TransactionLogEntry } from '../engine/types';

/** Risk limit value shown for every position (Bybit's first tier for BTCUSDT). */
const RISK_LIMIT_VALUE = '2000000';

/** An order row of /v5/order/realtime and /v5/order/history (docs/v5/order/open-order.mdx). */
export function orderRow(order: Order, instrument: Instrument): Record<string, unknown> {
  const qty = (value: Dec): string => formatQty(instrument, value);
  const price = (value: Dec): string => formatPrice(instrument, value);
  return {
    orderId: order.orderId,
    orderLinkId: order.orderLinkId,
    parentOrderLinkId: '',
    blockTradeId: '',
    symbol: order.symbol,
    price: price(order.price),
    qty: qty(order.qty),
    side: order.side,
    isLeverage: '',
    positionIdx: order.positionIdx,
    orderStatus: order.orderStatus,
    createType: order.createType,
    cancelType: 'UNKNOWN',
    rejectReason: 'EC_NoError',
    avgPrice: order.avgPrice === undefined ? '' : averagePrice(instrument, order.avgPrice),
    leavesQty: qty(order.leavesQty),
    leavesValue: '0',
    cumExecQty: qty(order.cumExecQty),
    cumExecValue: plain(order.cumExecValue),
    cumExecFee: derived(order.cumExecFee),
    timeInForce: 'IOC',
    orderType: 'Market',
    stopOrderType: '',
    orderIv: '',
    marketUnit: '',
    slippageToleranceType: 'UNKNOWN',
    slippageTolerance: '',
    triggerPrice: '',
    takeProfit: '',
    stopLoss: '',
    tpslMode: '',
    ocoTriggerBy: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    triggerBy: '',
    lastPriceOnCreated: price(order.markPriceOnCreated),
    basePrice: '',
    reduceOnly: order.reduceOnly,
    closeOnTrigger: order.closeOnTrigger,
    placeType: '',
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    createdTime: String(order.createdTime),
    updatedTime: String(order.updatedTime),
    extraFees: '',
    cumFeeDetail: { USDT: derived(order.cumExecFee) },
    rpiTakerAccess: false,
    rpiMatchedQty: '0',
  };
}

/**
 * An average fill price: with the priceScale's decimals when it lies on them (one level), else
 * with up to 8 (a walk across levels averages off the tick grid).
 */
function averagePrice(instrument: Instrument, value: Dec): string {
  return value.decimalPlaces() <= instrument.priceDecimals ? formatPrice(instrument, value) : derived(value);
}

/**
 * An execution row of /v5/execution/list (docs/v5/order/execution.mdx). A Funding row follows
 * Bybit's own example (docs/v5/pre-upgrade/execution.mdx) and ccxt's recorded one (bybit.js
 * parseIncome): orderType "UNKNOWN", createType "", feeCurrency "", orderQty/orderPrice 0.
 */
export function executionRow(execution: Execution, instrument: Instrument): Record<string, unknown> {
  const qty = (value: Dec): string => formatQty(instrument, value);
  const price = (value: Dec): string => formatPrice(instrument, value);
  const funding = execution.execType === 'Funding';
  return {
    symbol: execution.symbol,
    orderId: execution.orderId,
    orderLinkId: execution.orderLinkId,
    side: execution.side,
    orderPrice: price(execution.orderPrice),
    orderQty: qty(execution.orderQty),
    leavesQty: qty(execution.leavesQty),
    createType: execution.createType,
    orderType: funding ? 'UNKNOWN' : 'Market',
    stopOrderType: 'UNKNOWN',
    execFee: derived(execution.execFee),
    execId: execution.execId,
    execPrice: price(execution.execPrice),
    execQty: qty(execution.execQty),
    execType: execution.execType,
    execValue: plain(execution.execValue),
    execTime: String(execution.execTime),
    feeCurrency: funding ? '' : 'USDT',
    isMaker: false,
    feeRate: plain(execution.feeRate),
    tradeIv: '',
    markIv: '',
    markPrice: price(execution.markPrice),
    indexPrice: '',
    underlyingPrice: '',
    blockTradeId: '',
    closedSize: qty(execution.closedSize),
    extraFees: '',
    seq: execution.seq,
  };
}

/** A row of /v5/account/transaction-log (docs/v5/account/transaction-log.mdx). */
export function transactionLogRow(entry: TransactionLogEntry, instrument: Instrument): Record<string, unknown> {
  return {
    id: entry.id,
    symbol: entry.symbol,
    category: 'linear',
    side: entry.side,
    transactionTime: entry.transactionTime,
    type: entry.type,
    qty: formatQty(instrument, entry.qty),
    size: formatQty(instrument, entry.size),
    currency: 'USDT',
    tradePrice: formatPrice(instrument, entry.tradePrice),
    funding: entry.funding === undefined ? '' : derived(entry.funding),
    fee: entry.fee.toFixed(8),
    cashFlow: derived(entry.cashFlow),
    change: derived(entry.change),
    cashBalance: entry.cashBalance.toFixed(8),
    feeRate: plain(entry.feeRate),
    bonusChange: '',
    tradeId: entry.tradeId,
    orderId: entry.orderId,
    orderLinkId: entry.orderLinkId,
    extraFees: '',
  };
}

/**
 * A row of /v5/position/list for category=linear (docs/v5/position/position.mdx): one-way
 * (positionIdx 0) or one hedge side (1, 2), at the leverage of its side. liqPrice is the
 * isolated-margin approximation of {@link liquidationPrice}.
 */
export function positionRow(position: PositionState, instrument: Instrument, markPrice: Dec, leverage: Dec): Record<string, unknown> {
  const size = position.size.abs();
  const flat = size.isZero();
  const positionValue = size.mul(position.entryPrice);
  const positionIM = initialMargin(position, leverage);
  const positionMM = size.mul(markPrice).mul(MAINTENANCE_MARGIN_RATE);
  const price = (value: Dec): string => formatPrice(instrument, value);
  const liqPrice = liquidationPrice(instrument, position, leverage);
  return {
    positionIdx: position.positionIdx,
    riskId: 1,
    riskLimitValue: RISK_LIMIT_VALUE,
    symbol: position.symbol,
    side: positionSide(position.size),
    size: formatQty(instrument, size),
    avgPrice: flat ? '0' : derived(position.entryPrice),
    positionValue: flat ? '0' : derived(positionValue),
    tradeMode: 0,
    positionStatus: 'Normal',
    autoAddMargin: 0,
    adlRankIndicator: flat ? 0 : 2,
    leverage: plain(leverage),
    breakEvenPrice: flat ? '0' : derived(position.entryPrice),
    positionBalance: derived(positionIM),
    markPrice: price(markPrice),
    liqPrice: liqPrice === undefined ? '' : price(liqPrice),
    bustPrice: '',
    positionMM: derived(positionMM),
    positionMMByMp: derived(positionMM),
    positionIM: derived(positionIM),
    positionIMByMp: derived(positionIM),
    tpslMode: 'Full',
    takeProfit: '',
    stopLoss: '',
    trailingStop: '0',
    sessionAvgPrice: '',
    unrealisedPnl: derived(unrealisedPnl(position, markPrice)),
    curRealisedPnl: derived(position.curRealisedPnl),
    cumRealisedPnl: derived(position.cumRealisedPnl),
    seq: position.seq,
    isReduceOnly: false,
    mmrSysUpdatedTime: '',
    leverageSysUpdatedTime: '',
    createdTime: String(position.createdTime),
    updatedTime: String(position.updatedTime),
  };
}

/** The UNIFIED account row of /v5/account/wallet-balance with its USDT coin (wallet-balance.mdx). */
export function walletRow(wallet: WalletView): Record<string, unknown> {
  const usdt = {
    coin: 'USDT',
    equity: derived(wallet.equity),
    usdValue: derived(wallet.equity),
    walletBalance: derived(wallet.walletBalance),
    locked: '0',
    spotHedgingQty: '0',
    borrowAmount: '0',
    accruedInterest: '0',
    totalOrderIM: '0',
    totalPositionIM: derived(wallet.positionIM),
    totalPositionMM: derived(wallet.positionMM),
    unrealisedPnl: derived(wallet.unrealisedPnl),
    cumRealisedPnl: derived(wallet.cumRealisedPnl),
    bonus: '0',
    marginCollateral: true,
    collateralSwitch: true,
    spotBorrow: '0',
    free: '',
    // Deprecated for UNIFIED since Jan 2025 and served empty; ccxt then derives free = total − used.
    availableToWithdraw: '',
    availableToBorrow: '',
  };
  const marginBalance = wallet.walletBalance.plus(wallet.unrealisedPnl);
  return {
    accountType: 'UNIFIED',
    totalEquity: derived(wallet.equity),
    totalWalletBalance: derived(wallet.walletBalance),
    totalMarginBalance: derived(marginBalance),
    totalAvailableBalance: derived(wallet.availableBalance),
    totalPerpUPL: derived(wallet.unrealisedPnl),
    totalInitialMargin: derived(wallet.positionIM),
    totalInitialMarginByMp: derived(wallet.positionIM),
    totalMaintenanceMargin: derived(wallet.positionMM),
    totalMaintenanceMarginByMp: derived(wallet.positionMM),
    accountIMRate: marginBalance.isZero() ? '0' : derived(wallet.positionIM.div(marginBalance).toDecimalPlaces(4)),
    accountIMRateByMp: marginBalance.isZero() ? '0' : derived(wallet.positionIM.div(marginBalance).toDecimalPlaces(4)),
    accountMMRate: marginBalance.isZero() ? '0' : derived(wallet.positionMM.div(marginBalance).toDecimalPlaces(4)),
    accountMMRateByMp: marginBalance.isZero() ? '0' : derived(wallet.positionMM.div(marginBalance).toDecimalPlaces(4)),
    accountLTV: '0',
    coin: [usdt],
  };
}
