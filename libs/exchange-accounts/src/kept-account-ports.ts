import { LRUCache } from 'lru-cache';
import type { ExchangePort } from '@legwork/exchange';

/** How many account clients an executor keeps and how long after their last use (ms). */
export interface KeptAccountPortsSettings {
  /** At most this many accounts' clients (~260 KB each); the least recently used goes first. */
  max: number;
  /** A client unused this long is dropped, and its secret with it. */
  idleMs: number;
}

/**
 * Account clients kept between an executor's units of work, so that an account's next basket
 * does not build a ccxt client again (~3.4 ms of CPU each: ccxt defines its ~2,000 endpoint
 * methods per instance). A client is kept while its account trades — at most `idleMs` after its
 * last use, the time the account's private stream is also kept open with the same secret for its
 * re-authentication — and only for the key it was made with: the account's API key, encryption
 * key id and sealed secret (none of them secret) must still be the ones it was made from, so a
 * rotated or resealed key gets a new client. Expired clients are dropped on time (`ttlAutopurge`),
 * not at the next look-up.
 */
export class KeptAccountPorts {
  private readonly kept: LRUCache<string, { keyMaterial: string; port: ExchangePort }>;

  constructor(settings: KeptAccountPortsSettings) {
    this.kept = new LRUCache({ max: settings.max, ttl: settings.idleMs, updateAgeOnGet: true, ttlAutopurge: true });
  }

  /** The client kept for `accountId` if it was made with `keyMaterial`; a client of another key is dropped. */
  get(accountId: string, keyMaterial: string): ExchangePort | undefined {
    const entry = this.kept.get(accountId);
    if (entry?.keyMaterial === keyMaterial) return entry.port;
    if (entry) this.kept.delete(accountId);
    return undefined;
  }

  /** Keeps `port`, made with `keyMaterial`, for `accountId` (replacing the one kept before, if any). */
  keep(accountId: string, keyMaterial: string, port: ExchangePort): void {
    this.kept.set(accountId, { keyMaterial, port });
  }
}
