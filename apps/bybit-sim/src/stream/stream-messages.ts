// Bybit's private-stream messages from the engine's account changes (docs/v5/websocket/private/
// order.mdx, execution.mdx, fast-execution.mdx, position.mdx, wallet.mdx): `{id, topic,
// creationTime, data[]}` with the REST rows' field names and string numbers (src/http/wire.ts)
// plus the stream's own fields. Pure: ids come from an injected factory.
//
// One change gives, in this order: the order (its final state: a market order fills or is
// cancelled at once, so there is no intermediate `New`), its executions in one message ("You may
// have multiple executions for one order in a single message"), the positions it touched, and
// the wallet. Funding gives executions (execType Funding), positions and wallet; a leverage
// change positions and wallet. Bybit does not document the order of topics against each other;
// clients must not rely on it.
import { Dec, ZERO, derived } from '../engine/decimal';
import { AccountChange, ExecutionUpdate, PositionUpdate } from '../engine/events';
import { Instrument, InstrumentCatalogue, formatPrice, formatQty } from '../engine/instruments';
import { executionRow, orderRow, positionRow, walletRow } from '../http/wire';
import { StreamTopic } from './stream-topics';

/** A topic message before it is addressed: `render` gives it the subscribed topic name. */
export interface TopicMessage {
  readonly topic: StreamTopic;
  readonly id: string;
  readonly creationTime: number;
  readonly data: readonly Record<string, unknown>[];
}

/** The JSON text of a message as sent on a subscription named `topicName` ("order", "order.linear", …). */
export function render(message: TopicMessage, topicName: string): string {
  return JSON.stringify({ id: message.id, topic: topicName, creationTime: message.creationTime, data: message.data });
}

/** An order row of the `order` topic: the REST row plus `category`, `closedPnl`, `feeCurrency` (deprecated, ""). */
export function orderStreamRow(change: AccountChange, instrument: Instrument): Record<string, unknown> {
  if (change.order === undefined) throw new Error('orderStreamRow: the change has no order');
  return { category: 'linear', ...orderRow(change.order, instrument), closedPnl: derived(closedPnl(change.executions)), feeCurrency: '' };
}

/**
 * The order's closed PnL: what its closing fills realised less their fees, "0" for an order that
 * closed nothing. An approximation: Bybit's figure (position/close-pnl.mdx) also charges the
 * opening fee of the closed quantity, which the simulator does not track per position.
 */
function closedPnl(executions: readonly ExecutionUpdate[]): Dec {
  return executions
    .filter((update) => update.execution.closedSize.greaterThan(0))
    .reduce((sum, update) => sum.plus(update.execPnl).minus(update.execution.execFee), ZERO);
}

/** An execution row of the `execution` topic: the REST row plus `category`, `isLeverage`, `execPnl`, `marketUnit`. */
export function executionStreamRow(update: ExecutionUpdate, instrument: Instrument): Record<string, unknown> {
  return {
    category: 'linear',
    ...executionRow(update.execution, instrument),
    isLeverage: '0',
    execPnl: derived(update.execPnl),
    marketUnit: '',
  };
}

/** An execution row of `execution.fast` (fast-execution.mdx): trades only, few fields. */
export function fastExecutionRow(update: ExecutionUpdate, instrument: Instrument): Record<string, unknown> {
  const { execution } = update;
  return {
    category: 'linear',
    symbol: execution.symbol,
    execId: execution.execId,
    execPrice: formatPrice(instrument, execution.execPrice),
    execQty: formatQty(instrument, execution.execQty),
    orderId: execution.orderId,
    isMaker: false,
    orderLinkId: execution.orderLinkId,
    side: execution.side,
    execTime: String(execution.execTime),
    seq: execution.seq,
  };
}

/** A position row of the `position` topic: the REST row with `entryPrice` for `avgPrice`, plus `category`. */
export function positionStreamRow(update: PositionUpdate, instrument: Instrument): Record<string, unknown> {
  const { avgPrice, ...row } = positionRow(update.state, instrument, update.markPrice, update.leverage);
  return { category: 'linear', ...row, entryPrice: avgPrice };
}

/**
 * The messages of one account change. Ids follow the docs' examples: `<uid><uuid>` for order,
 * position and wallet messages ("5923240c6880ab-…" = uid 592324 + a uuid), `<uid>_<symbol>_<seq>`
 * for executions ("386825804_BTCUSDT_140612148849382", the seq of the message's last execution),
 * one execution message per symbol.
 */
export function streamMessages(change: AccountChange, catalogue: InstrumentCatalogue, newId: () => string): TopicMessage[] {
  const message = (topic: StreamTopic, id: string, data: Record<string, unknown>[]): TopicMessage => ({
    topic,
    id,
    creationTime: change.time,
    data,
  });
  const uidId = (): string => `${change.userId}${newId()}`;
  const messages: TopicMessage[] = [];
  if (change.order !== undefined) messages.push(message('order', uidId(), [orderStreamRow(change, catalogue.get(change.order.symbol))]));
  for (const [symbol, updates] of bySymbol(change.executions)) {
    const instrument = catalogue.get(symbol);
    const last = updates[updates.length - 1]?.execution.seq ?? 0;
    const id = `${change.userId}_${symbol}_${last}`;
    messages.push(
      message(
        'execution',
        id,
        updates.map((update) => executionStreamRow(update, instrument)),
      ),
    );
    const trades = updates.filter((update) => update.execution.execType === 'Trade');
    if (trades.length > 0)
      messages.push(
        message(
          'execution.fast',
          id,
          trades.map((update) => fastExecutionRow(update, instrument)),
        ),
      );
  }
  if (change.positions.length > 0) {
    const rows = change.positions.map((update) => positionStreamRow(update, catalogue.get(update.state.symbol)));
    messages.push(message('position', uidId(), rows));
  }
  messages.push(message('wallet', uidId(), [walletRow(change.wallet)]));
  return messages;
}

function bySymbol(executions: readonly ExecutionUpdate[]): Map<string, ExecutionUpdate[]> {
  const groups = new Map<string, ExecutionUpdate[]>();
  for (const update of executions) {
    const group = groups.get(update.execution.symbol) ?? [];
    group.push(update);
    groups.set(update.execution.symbol, group);
  }
  return groups;
}
