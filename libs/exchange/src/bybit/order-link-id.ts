import type { OrderPurpose } from '@legwork/domain';

/**
 * Deterministic Bybit `orderLinkId`s. Bybit: ≤ 36 characters of `[A-Za-z0-9_-]`, unique per
 * account (docs/v5/order/create-order.mdx; reuse → retCode 110072). Ours are 28 characters:
 *
 *   `lw` ‖ base64url(16 bytes of the position/plan UUID) (22) ‖ purpose (1) ‖ attempt base36 (1) ‖ leg (2)
 *
 * The same (position, purpose, attempt, leg) always yields the same id, so a resend after any
 * crash is refused by the exchange as a duplicate instead of opening a second order. The `lw`
 * prefix lets the orphan monitor tell our orders from manual ones.
 */
const PURPOSE_CODE: Record<OrderPurpose, string> = { open: 'o', close: 'c', rollback: 'r', restore: 's' };
const CODE_PURPOSE = Object.fromEntries(Object.entries(PURPOSE_CODE).map(([p, c]) => [c, p])) as Record<string, OrderPurpose>;
export const ORDER_LINK_ID_PREFIX = 'lw';
const LENGTH = 28;

export interface OrderLinkIdParts {
  /** The position's UUID (or the restore plan's). */
  ownerId: string;
  purpose: OrderPurpose;
  /** 0–35: a new attempt of a purpose (e.g. a retried close) gets fresh ids. */
  attempt: number;
  /** 0–99. */
  legIndex: number;
}

/** @throws RangeError for a malformed UUID or an attempt/leg out of range. */
export function encodeOrderLinkId(parts: OrderLinkIdParts): string {
  const hex = parts.ownerId.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${parts.ownerId}`);
  if (!Number.isInteger(parts.attempt) || parts.attempt < 0 || parts.attempt > 35)
    throw new RangeError(`attempt out of range: ${parts.attempt}`);
  if (!Number.isInteger(parts.legIndex) || parts.legIndex < 0 || parts.legIndex > 99)
    throw new RangeError(`leg index out of range: ${parts.legIndex}`);
  return (
    ORDER_LINK_ID_PREFIX +
    Buffer.from(hex, 'hex').toString('base64url') +
    PURPOSE_CODE[parts.purpose] +
    parts.attempt.toString(36) +
    String(parts.legIndex).padStart(2, '0')
  );
}

/** The parts of one of Legwork's ids, or null for any other `orderLinkId` (a manual order). */
export function decodeOrderLinkId(orderLinkId: string): OrderLinkIdParts | null {
  if (orderLinkId.length !== LENGTH || !orderLinkId.startsWith(ORDER_LINK_ID_PREFIX)) return null;
  const body = orderLinkId.slice(2, 24);
  const purpose = CODE_PURPOSE[orderLinkId.charAt(24)];
  const attempt = parseInt(orderLinkId.charAt(25), 36);
  const legIndex = Number(orderLinkId.slice(26));
  if (!/^[A-Za-z0-9_-]{22}$/.test(body) || !purpose || Number.isNaN(attempt) || !/^\d\d$/.test(orderLinkId.slice(26))) return null;
  const hex = Buffer.from(body, 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  const ownerId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { ownerId, purpose, attempt, legIndex };
}
