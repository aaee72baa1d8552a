import { z } from 'zod';

/**
 * The wire shape of a trade command. Versioned: a consumer that meets an unknown `schemaVersion`
 * or `type` terminates the message with a logged reason instead of retrying it forever.
 * The command carries ids only; the executor reads the position itself (the database is the truth).
 */
export const OpenPositionCommand = z.strictObject({
  schemaVersion: z.literal(1),
  type: z.literal('OpenPosition'),
  commandId: z.uuid(),
  positionId: z.uuid(),
  issuedAt: z.iso.datetime(),
});
export type OpenPositionCommand = z.infer<typeof OpenPositionCommand>;

/**
 * Close (ACTIVE → CLOSING → CLOSED) or roll back (FAILED → ROLLING_BACK → ROLLED_BACK) a position.
 * `attempt` numbers the request: each gets its own `orderLinkId`s.
 */
export const ClosePositionCommand = OpenPositionCommand.extend({
  type: z.literal('ClosePosition'),
  attempt: z.number().int().min(0).max(35),
});
export type ClosePositionCommand = z.infer<typeof ClosePositionCommand>;
export const RollbackPositionCommand = OpenPositionCommand.extend({
  type: z.literal('RollbackPosition'),
  attempt: z.number().int().min(0).max(35),
});
export type RollbackPositionCommand = z.infer<typeof RollbackPositionCommand>;

/** Execute a proposed "Restore balance" plan (its trades are stored with the plan). */
export const RestorePositionCommand = OpenPositionCommand.extend({ type: z.literal('RestorePosition'), planId: z.uuid() });
export type RestorePositionCommand = z.infer<typeof RestorePositionCommand>;

export const TradeCommand = z.discriminatedUnion('type', [
  OpenPositionCommand,
  ClosePositionCommand,
  RollbackPositionCommand,
  RestorePositionCommand,
]);
export type TradeCommand = z.infer<typeof TradeCommand>;

export type DecodeResult = { ok: true; command: TradeCommand } | { ok: false; reason: string };

/** Parses raw message bytes into a command; never throws. */
export function decodeCommand(data: Uint8Array): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return { ok: false, reason: 'message is not JSON' };
  }
  const parsed = TradeCommand.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, command: parsed.data };
}

/**
 * An alert for humans (on-call, the user's UI): self-explanatory `summary`, machine-readable
 * `kind` (also its subject: `alerts.<kind>`), `severity`, and the ids to look things up.
 * Never carries secrets.
 */
export const AlertMessage = z.strictObject({
  schemaVersion: z.literal(1),
  type: z.literal('Alert'),
  alertId: z.string().min(1),
  kind: z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/),
  severity: z.enum(['info', 'warning', 'critical']),
  summary: z.string(),
  positionId: z.uuid().nullable(),
  accountId: z.uuid().nullable(),
  details: z.record(z.string(), z.unknown()),
  occurredAt: z.iso.datetime(),
});
export type AlertMessage = z.infer<typeof AlertMessage>;

/** One scan of one account for one schedule window (deduplicated by `<job>:<account>:<window>`). */
export const ScanJobMessage = z.strictObject({
  schemaVersion: z.literal(1),
  type: z.literal('ScanJob'),
  job: z.enum(['reconcile', 'orphans']),
  accountId: z.uuid(),
  windowStart: z.iso.datetime(),
});
export type ScanJobMessage = z.infer<typeof ScanJobMessage>;

/** Parses a scan job; never throws. */
export function decodeScanJob(data: Uint8Array): { ok: true; job: ScanJobMessage } | { ok: false; reason: string } {
  const decoded = decodeWith(ScanJobMessage, data);
  return decoded.ok ? { ok: true, job: decoded.value } : decoded;
}

/**
 * An operator's on-demand orphan scan: a real scan (it counts toward confirmation). Ids only: the
 * run (which account, or every account) is the `orphan_scan_runs` row `runId`, where the orphan
 * monitor records its report and the gateway reads it.
 */
export const ScanOrphansCommand = z.strictObject({
  schemaVersion: z.literal(1),
  type: z.literal('ScanOrphans'),
  runId: z.uuid(),
  issuedAt: z.iso.datetime(),
});
export type ScanOrphansCommand = z.infer<typeof ScanOrphansCommand>;

/** Parses an on-demand orphan scan command; never throws. */
export function decodeScanOrphansCommand(data: Uint8Array): { ok: true; command: ScanOrphansCommand } | { ok: false; reason: string } {
  const decoded = decodeWith(ScanOrphansCommand, data);
  return decoded.ok ? { ok: true, command: decoded.value } : decoded;
}

function decodeWith<T>(schema: z.ZodType<T>, data: Uint8Array): { ok: true; value: T } | { ok: false; reason: string } {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(data).toString('utf8')));
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  } catch {
    return { ok: false, reason: 'message is not JSON' };
  }
}
