// Control API of the private stream (its connections and faults) and of liquidations, which the
// exchange pushes on it. See apps/bybit-sim/README.md "Private stream".
import { FastifyInstance } from 'fastify';
import { ControlInputError } from '../http/control-parse';
import { controlBody as body, controlQuery as query, controlRoute } from '../http/control-route';
import { SimContext } from '../http/v5-route';
import { orderRow } from '../http/wire';
import { PrivateStream } from './private-stream';
import { parseLiquidation, parseStreamDrop, parseStreamFaults, parseStreamStall } from './stream-control-parse';

/**
 * Registers GET /__sim/stream, POST /__sim/stream/drop, /__sim/stream/stall, POST and DELETE
 * /__sim/stream/faults, and POST /__sim/liquidate.
 */
export function registerStreamControlRoutes(app: FastifyInstance, context: SimContext, stream: PrivateStream): void {
  const { exchange } = context;
  // Faults follow the account whichever of its keys names it (as /__sim/faults).
  const identity = (apiKey: string | undefined): string | undefined =>
    apiKey === undefined ? undefined : (exchange.account(apiKey)?.apiKey ?? apiKey);

  controlRoute(app, 'GET', '/__sim/stream', () => ({ status: 200, body: stream.snapshot() }));

  controlRoute(app, 'POST', '/__sim/stream/drop', (request) => {
    const { apiKey } = parseStreamDrop(body(request));
    return { status: 200, body: { dropped: stream.drop(apiKey) } };
  });

  controlRoute(app, 'POST', '/__sim/stream/stall', (request) => {
    const { apiKey, durationMs } = parseStreamStall(body(request));
    return { status: 200, body: stream.stall(durationMs, apiKey) };
  });

  controlRoute(app, 'POST', '/__sim/stream/faults', (request) => {
    const { apiKey, faults } = parseStreamFaults(body(request));
    stream.faults.replace(faults, identity(apiKey));
    return { status: 200, body: { faults: stream.faults.snapshot() } };
  });

  controlRoute(app, 'DELETE', '/__sim/stream/faults', (request) => {
    stream.faults.clear(identity(query(request)['apiKey']));
    return { status: 200, body: { faults: stream.faults.snapshot() } };
  });

  controlRoute(app, 'POST', '/__sim/liquidate', (request) => {
    const { apiKey, symbol, positionIdx } = parseLiquidation(body(request));
    if (exchange.catalogue.find(symbol) === undefined) throw new ControlInputError(`unknown symbol ${symbol}`);
    const hedge = exchange.positionMode(apiKey, symbol) === 'Hedge';
    const idx = positionIdx ?? (hedge ? undefined : 0);
    if (idx === undefined || hedge !== (idx !== 0))
      throw new ControlInputError(
        hedge ? `${symbol} is in hedge mode: positionIdx must be 1 or 2` : `${symbol} is one-way: positionIdx must be 0`,
      );
    const order = exchange.liquidate(apiKey, symbol, idx, context.clock());
    if (order === undefined) return { status: 409, body: { error: `${symbol} positionIdx ${idx} is flat: nothing to liquidate` } };
    return { status: 200, body: { order: orderRow(order, exchange.catalogue.get(symbol)) } };
  });
}
