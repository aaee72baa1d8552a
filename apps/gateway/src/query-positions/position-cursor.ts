import { z } from 'zod';
import type { PositionPageKey } from '@legwork/persistence';

/**
 * The opaque `cursor` of `GET /api/positions`: base64url of `<createdAt>|<id>` of the last position
 * of the page before. Opaque to clients (they pass `nextCursor` back as it is); it carries no
 * secret and grants nothing: the page is still only the caller's own positions.
 */
const KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The cursor of the page after `key`. */
export function encodePositionCursor(key: PositionPageKey): string {
  return Buffer.from(`${key.createdAt}|${key.id}`, 'utf8').toString('base64url');
}

/** The page key a cursor names, or null when it is not one this API issued. */
export function decodePositionCursor(cursor: string): PositionPageKey | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = KEY.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || Number.isNaN(Date.parse(match[1] ?? ''))) return null;
  return { createdAt: match[1] ?? '', id: match[2] ?? '' };
}

/** The `cursor` query parameter: absent (the first page) or a cursor from `nextCursor`. */
export const positionCursorParam = z
  .string()
  .transform((cursor, ctx) => {
    const key = decodePositionCursor(cursor);
    if (!key) ctx.addIssue({ code: 'custom', message: 'must be a nextCursor from an earlier page' });
    return key ?? z.NEVER;
  })
  .optional()
  .meta({ description: 'the `nextCursor` of the previous page; absent for the first page' });
