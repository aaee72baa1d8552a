import { z } from 'zod';
import { limitParam } from './query-params';
import type { RouteDoc } from './openapi/route-doc';

/** One alert as `GET /api/alerts` answers it (alerts.controller.ts). */
export const AlertView = z
  .strictObject({
    id: z.string().meta({ description: 'the alert’s id (its message id)' }),
    kind: z.string().meta({ description: 'e.g. `orphan.detected`, `position.altered`, `execution.partial_fill`' }),
    severity: z.enum(['info', 'warning', 'critical']),
    summary: z.string(),
    positionId: z.uuid().nullable(),
    accountId: z.uuid().nullable(),
    details: z.record(z.string(), z.unknown()).meta({ description: 'the alert’s facts (symbol, side, size, …), by kind' }),
    occurredAt: z.string().meta({ description: 'ISO 8601' }),
  })
  .meta({ id: 'Alert' });

/** `GET /api/alerts`'s answer. An object, so a page cursor or filters can be added beside `alerts` (`.extend`). */
export const AlertList = z.strictObject({ alerts: z.array(AlertView).meta({ description: 'newest first' }) }).meta({ id: 'AlertList' });

/**
 * The document's entry for `GET /api/alerts`, kept here while alerts.controller.ts is another
 * change's: its owner moves it onto the handler as `@ApiDoc(LIST_ALERTS_DOC)` (and out of
 * openapi/non-handler-routes.ts) when the cursor and filters land.
 */
export const LIST_ALERTS_DOC: RouteDoc = {
  operationId: 'listAlerts',
  summary: 'Alerts about the caller’s own positions and accounts, newest first',
  tags: ['alerts'],
  auth: 'bearer',
  request: { query: z.strictObject({ limit: limitParam(500, 100).meta({ description: '1–500, default 100' }) }) },
  responses: { 200: { description: 'the alerts', schema: AlertList } },
};
