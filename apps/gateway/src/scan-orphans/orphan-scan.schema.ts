import { z } from 'zod';

const slot = {
  symbol: z.string(),
  hedgeSide: z.enum(['long', 'short']).nullable().meta({ description: 'hedge mode: the side of the symbol; null in one-way mode' }),
  side: z.enum(['long', 'short']),
  size: z.string().meta({ description: 'base coin, decimal string' }),
};

const OrphanFinding = z.strictObject({
  accountId: z.uuid(),
  ...slot,
  status: z.enum(['suspected', 'confirmed']),
  consecutiveScans: z.number().int(),
  firstSeenAt: z.string(),
  origin: z
    .enum(['legwork_order', 'manual_trade'])
    .nullable()
    .meta({ description: 'our own orderLinkIds in the recent executions, or a manual trade' }),
  entryPrice: z.string().nullable(),
  markPrice: z.string().nullable(),
  unrealisedPnlUsdt: z.string().nullable(),
});

const ScannedAccount = z.strictObject({
  accountId: z.uuid(),
  orphans: z.array(OrphanFinding),
  newlyConfirmed: z.array(OrphanFinding),
  resolved: z.array(z.strictObject(slot)),
  dropped: z.array(z.strictObject(slot)).meta({ description: 'suspected before, gone before confirmation (never alerted)' }),
  alerts: z.array(z.record(z.string(), z.unknown())).meta({ description: 'the alert messages this scan published' }),
});

/** What the orphan monitor reports for an operator's scan run (apps/orphan-monitor `ManualScanReport`). */
export const OrphanScanReport = z
  .strictObject({
    scannedAt: z.string(),
    accounts: z.array(
      z.union([
        ScannedAccount,
        z.strictObject({ accountId: z.string(), error: z.string().meta({ description: 'the exchange could not be read' }) }),
        z.strictObject({ accountId: z.string(), skipped: z.string().meta({ description: 'the exchange refused the account’s API key' }) }),
      ]),
    ),
    confirmed: z.number().int().meta({ description: 'orphans confirmed after this scan (new or earlier)' }),
    failedAccounts: z.number().int(),
    skippedAccounts: z.number().int(),
  })
  .meta({ id: 'OrphanScanReport' });
export type OrphanScanReport = z.infer<typeof OrphanScanReport>;

/** `202` while the run is pending: poll `GET /api/operator/orphans/scan/{runId}` (also in `Location`). */
export const OrphanScanPending = z.strictObject({ runId: z.uuid() }).meta({ id: 'OrphanScanPending' });
export type OrphanScanPending = z.infer<typeof OrphanScanPending>;
