import { z } from 'zod';
import { alertsCursorParam } from './alerts-cursor';
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

/** `GET /api/alerts`'s answer: a page of alerts and the cursor of the next one. */
export const AlertList = z
  .strictObject({
    alerts: z.array(AlertView).meta({ description: 'newest first (`occurredAt`, then `id`)' }),
    nextCursor: z.string().nullable().meta({ description: 'pass as `cursor` (same filters) for the next page; null on the last page' }),
  })
  .meta({ id: 'AlertList' });
export type AlertList = z.infer<typeof AlertList>;

/** `GET /api/alerts`'s query: filters, page size and cursor. */
export const AlertsQuery = z.strictObject({
  limit: limitParam(500, 100).meta({ description: '1–500, default 100' }),
  kind: z
    .string()
    .max(80)
    .regex(/^[a-z_]+(\.[a-z_]+)*$/, 'an alert kind, e.g. orphan.detected')
    .optional()
    .meta({ description: 'one kind, e.g. `orphan.detected`' }),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  accountId: z.uuid().optional().meta({ description: 'one exchange account (another user’s: nothing)' }),
  since: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional()
    .meta({ description: 'ISO 8601 instant with offset; alerts at or after it' }),
  cursor: alertsCursorParam.optional().meta({ description: 'the previous page’s `nextCursor` (opaque)' }),
});

/** The document's entry for `GET /api/alerts` (alerts.controller.ts). */
export const LIST_ALERTS_DOC: RouteDoc = {
  operationId: 'listAlerts',
  summary: 'Alerts newest first: the caller’s own positions and accounts, every user’s with an operator token',
  tags: ['alerts'],
  auth: 'bearer',
  request: { query: AlertsQuery },
  responses: { 200: { description: 'a page of alerts', schema: AlertList } },
};
