// Log of the /v5 requests the simulator received, so tests can assert what a client really sent
// (e.g. that an order was not sent twice). Bounded so a long demo cannot grow it without limit.

/** The order fields of a request as sent (null when absent): a create's body, or one create-batch entry. */
export interface RequestLogOrder {
  readonly symbol: string | null;
  readonly side: string | null;
  readonly qty: string | null;
  readonly orderLinkId: string | null;
  readonly reduceOnly: boolean | null;
  /** Bybit `positionIdx` as sent (0 one-way, 1/2 hedge sides), null when absent. */
  readonly positionIdx: number | null;
}

/** One received request. `httpStatus`/`retCode` are null while pending or when no answer was sent. */
export interface RequestLogEntry extends RequestLogOrder {
  readonly seq: number;
  readonly time: number;
  readonly method: string;
  readonly path: string;
  /** X-BAPI-API-KEY as sent (also for failed authentication), null on public calls. */
  readonly apiKey: string | null;
  /** The entries of a create-batch `request` list, in order; null on every other request. */
  readonly orders: readonly RequestLogOrder[] | null;
  httpStatus: number | null;
  retCode: number | null;
  /** Injected fault that shaped the answer, if any (e.g. "timeoutAfterAccept"). */
  fault: string | null;
}

/** Filters of GET /__sim/requests. */
export interface RequestLogFilter {
  readonly path?: string;
  readonly apiKey?: string;
  /** Only entries with a greater `seq` (to page through the log without reading it twice). */
  readonly afterSeq?: number;
}

/** Most entries kept; the oldest are dropped first. */
export const REQUEST_LOG_CAPACITY = 10_000;

/** Append-only request log with a capacity bound. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  /** Records a request; the caller completes the returned entry when answering. */
  record(
    entry: Omit<RequestLogEntry, 'seq' | 'httpStatus' | 'retCode' | 'fault' | 'orders'> & Partial<Pick<RequestLogEntry, 'orders'>>,
  ): RequestLogEntry {
    this.seq += 1;
    const full: RequestLogEntry = { ...entry, orders: entry.orders ?? null, seq: this.seq, httpStatus: null, retCode: null, fault: null };
    this.entries.push(full);
    if (this.entries.length > REQUEST_LOG_CAPACITY) this.entries = this.entries.slice(-REQUEST_LOG_CAPACITY);
    return full;
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.entries.filter(
      (entry) =>
        (filter.path === undefined || entry.path === filter.path) &&
        (filter.apiKey === undefined || entry.apiKey === filter.apiKey) &&
        (filter.afterSeq === undefined || entry.seq > filter.afterSeq),
    );
  }

  /** `seq` of the oldest entry still kept (entries before it were dropped by the capacity bound); 0 when empty. */
  oldestSeq(): number {
    return this.entries[0]?.seq ?? 0;
  }

  clear(): void {
    this.entries = [];
  }
}
