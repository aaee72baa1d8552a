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

export const TradeCommand = z.discriminatedUnion('type', [OpenPositionCommand]);
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
