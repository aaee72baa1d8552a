/**
 * Extends a position's working lease to `$3` (a timestamptz) when `$2` still owns it; `$1` is the
 * position id. RETURNING a row means the lease was held and is now extended. The one text of a
 * renewal, whether alone (PositionRepository.renewLease) or beside the ledger read
 * (OrderLedgerRepository.listRenewingLease).
 */
export const RENEW_LEASE_SQL = 'UPDATE synthetic_positions SET lease_expires_at = $3 WHERE id = $1 AND lease_owner = $2 RETURNING id';
