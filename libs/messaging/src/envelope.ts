import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { busNames, CommandType, ScanJobKind } from './subjects';

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
  /**
   * Why the job was asked for now, when the exchange said (a stream-driven reconcile job): per
   * symbol, the drift cause libs/exchange decided (`DriftCause`, e.g. `liquidation`). Absent on
   * scheduled jobs.
   */
  causes: z
    .array(z.strictObject({ symbol: z.string().min(1).max(40), cause: z.string().min(1).max(40) }))
    .max(100)
    .optional(),
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

/** Decodes an `Alert` from the ALERTS stream (the alert dispatcher's input). */
export function decodeAlert(data: Uint8Array): { ok: true; alert: AlertMessage } | { ok: false; reason: string } {
  const decoded = decodeWith(AlertMessage, data);
  return decoded.ok ? { ok: true, alert: decoded.value } : decoded;
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

/**
 * A message to publish: `msgId` (its `Nats-Msg-Id`, so JetStream keeps one copy of a message
 * published twice), `subject` and the JSON `payload`. Built here; committed to the outbox with the
 * change that caused it (`@legwork/outbox`), or published at once (scan jobs).
 */
export interface OutboxMessage {
  msgId: string;
  subject: string;
  payload: Record<string, unknown>;
  /** NATS headers to publish it with (kept in the outbox row): the {@link REQUEST_ID_HEADER} of a command. */
  headers?: Record<string, string>;
}

/**
 * The NATS header carrying the HTTP request id (the gateway's `X-Request-Id`) a command was
 * requested under, so the executor's log lines about the command carry it too.
 */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a caller gives for a command of `type`: everything but the envelope (`schemaVersion`, `type`, `commandId`, `issuedAt`). */
export type CommandFields<T extends CommandType> = Omit<
  Extract<TradeCommand, { type: T }>,
  'schemaVersion' | 'type' | 'commandId' | 'issuedAt'
>;

/**
 * The one builder of trade-command envelopes: `schemaVersion` 1, a fresh `commandId` (also the
 * msg id), `issuedAt` = `at` (ISO 8601), addressed to `type`'s subject under `namespace`.
 * @param fields e.g. `{ positionId }` for OpenPosition, `{ positionId, attempt }` for Close/RollbackPosition
 * @param trace `requestId`: the HTTP request it was asked in, sent as the {@link REQUEST_ID_HEADER} header
 */
export function commandMessage<T extends CommandType>(
  namespace: string,
  type: T,
  fields: CommandFields<T>,
  at = new Date(),
  trace: { requestId?: string | undefined } = {},
): OutboxMessage {
  const commandId = randomUUID();
  const command = { schemaVersion: 1, type, commandId, ...fields, issuedAt: at.toISOString() };
  return {
    msgId: commandId,
    subject: busNames(namespace).commandSubject(type),
    payload: command,
    ...(trace.requestId ? { headers: { [REQUEST_ID_HEADER]: trace.requestId } } : {}),
  };
}

/**
 * A scan job of `job` for `accountId` in the window starting at `windowStart`. Its msg id
 * `<job>:<account>:<window start>` is what makes jobs published by several replicas (or by an
 * executor asking for a scan now) one job in the stream. `causes` (optional): per symbol, why the
 * exchange moved it, carried to the scan's deviations (not part of the msg id).
 */
export function scanJobMessage(
  namespace: string,
  job: ScanJobKind,
  accountId: string,
  windowStart: Date,
  causes?: ScanJobMessage['causes'],
): OutboxMessage {
  const message: ScanJobMessage = {
    schemaVersion: 1,
    type: 'ScanJob',
    job,
    accountId,
    windowStart: windowStart.toISOString(),
    ...(causes && causes.length > 0 ? { causes } : {}),
  };
  return { msgId: `${job}:${accountId}:${message.windowStart}`, subject: busNames(namespace).scanJobSubject(job), payload: message };
}

/**
 * An operator's on-demand orphan scan of run `runId` (the run row is written with it); its msg id
 * is the run id, so a replayed publish is one command in the stream.
 */
export function scanOrphansMessage(namespace: string, runId: string, at = new Date()): OutboxMessage {
  const command: ScanOrphansCommand = { schemaVersion: 1, type: 'ScanOrphans', runId, issuedAt: at.toISOString() };
  return { msgId: runId, subject: busNames(namespace).orphanScanCommandSubject, payload: command };
}
