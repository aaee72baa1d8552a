import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { AlertRepository } from '@legwork/persistence';
import { AuthenticatedRequest, BearerGuard } from '../auth/bearer.guard';
import { alertsCursorParam, encodeAlertsCursor } from './alerts-cursor';
import { limitParam } from './query-params';
import { validate } from './validate';

const query = z.strictObject({
  limit: limitParam(500, 100),
  kind: z
    .string()
    .max(80)
    .regex(/^[a-z_]+(\.[a-z_]+)*$/, 'an alert kind, e.g. orphan.detected')
    .optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  accountId: z.uuid().optional(),
  since: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  cursor: alertsCursorParam.optional(),
});

/**
 * `GET /api/alerts`: alerts newest first, `{alerts, nextCursor}`. A user sees the alerts about
 * their own positions and accounts; an operator token sees every user's. Filters: `kind`,
 * `severity`, `accountId`, `since` (ISO instant, inclusive). Pages: `limit` (≤ 500, default 100),
 * then `cursor` = the previous answer's `nextCursor` (null on the last page) with the same filters.
 */
@Controller('api/alerts')
@UseGuards(BearerGuard)
export class AlertsController {
  constructor(private readonly alerts: AlertRepository) {}

  @Get()
  async list(@Req() req: AuthenticatedRequest, @Query() raw: unknown) {
    const { limit, kind, severity, accountId, since, cursor } = validate(query, raw ?? {}, 'query');
    const { principal } = req;
    const rows = await this.alerts.list(
      {
        ...(principal.role === 'operator' ? {} : { userId: principal.userId }),
        ...(kind ? { kind } : {}),
        ...(severity ? { severity } : {}),
        ...(accountId ? { accountId } : {}),
        ...(since ? { since } : {}),
        ...(cursor ? { before: cursor } : {}),
      },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      alerts: page.map((a) => ({
        id: a.id,
        kind: a.kind,
        severity: a.severity,
        summary: a.summary,
        positionId: a.positionId,
        accountId: a.accountId,
        details: a.details,
        occurredAt: a.occurredAt.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeAlertsCursor(last) : null,
    };
  }
}
