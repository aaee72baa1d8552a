import { z } from 'zod';
import type { RouteDoc } from '../http/openapi/route-doc';

/** An event id this API sent: a decimal integer that fits PostgreSQL's bigint. */
export const LastEventId = z.string().regex(/^(0|[1-9][0-9]{0,17})$/, 'must be the id of an event this stream sent (a decimal integer)');

/** No query parameter: the cursor is the `Last-Event-ID` header (what an EventSource sends). */
export const NoQuery = z.strictObject({});

/** The document's entry for `GET /api/positions/events` (position-events.controller.ts; docs/api.md#live-position-events). */
export const STREAM_POSITION_EVENTS_DOC: RouteDoc = {
  operationId: 'streamPositionEvents',
  summary: 'Server-Sent Events of the caller’s positions and accounts, resumable with Last-Event-ID',
  description:
    'Frames `id: <seq>`, `event: <kind>`, `data: <JSON>`; kinds `position.status` (positionId, status, from, reason, at), ' +
    '`position.fill` (positionId, tradeId, orderId, orderLinkId, purpose, legIndex, symbol, side, quantity, price, fee, feeCurrency, execId, at), ' +
    '`position.deviation` (positionId, deviationId, change, symbol, kind, expectedQuantity, actualQuantity, delta, expectedLeverage, actualLeverage, explanation, at) ' +
    'and `alert` (alertId, kind, severity, summary, positionId, accountId, details, at); amounts are decimal strings, times ISO 8601 UTC. ' +
    'With `Last-Event-ID` the stream resumes right after that event (each missed event once, in order); without it, after the caller’s latest event. ' +
    'A `: heartbeat` comment every 15 s keeps proxies from closing it.',
  tags: ['positions'],
  auth: 'bearer',
  request: {
    query: NoQuery,
    headers: z.strictObject({
      'Last-Event-ID': LastEventId.optional().meta({ description: 'the id of the last event received; not after the caller’s latest' }),
    }),
  },
  responses: { 200: { description: 'the event stream', media: { type: 'text/event-stream', description: 'Server-Sent Events' } } },
  errors: ['EVENTS.TOO_MANY_STREAMS'],
};
