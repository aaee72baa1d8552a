import { z } from 'zod';

/** Where a page of alerts ended: the last alert's instant and id ((occurredAt, id) keyset). */
export interface AlertsCursor {
  occurredAt: Date;
  id: string;
}

const decoded = z.strictObject({ t: z.iso.datetime(), id: z.string().min(1).max(300) });

/** The opaque `nextCursor` of a page ending at `last`: base64url of `{"t": ISO instant, "id"}`. */
export function encodeAlertsCursor(last: AlertsCursor): string {
  return Buffer.from(JSON.stringify({ t: last.occurredAt.toISOString(), id: last.id })).toString('base64url');
}

/**
 * The `cursor` query parameter: a `nextCursor` this API gave out, nothing else (a client cannot
 * build one; its content may change). Refused as a validation error of `cursor` when it is not one.
 */
export const alertsCursorParam = z
  .string()
  .max(600)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor this API gave out')
  .transform((raw, ctx): AlertsCursor => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      parsed = null;
    }
    const cursor = decoded.safeParse(parsed);
    if (!cursor.success) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out' });
      return z.NEVER;
    }
    return { occurredAt: new Date(cursor.data.t), id: cursor.data.id };
  });
