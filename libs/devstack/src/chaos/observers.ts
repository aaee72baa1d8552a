// What the soak watches while it runs: the simulator's request log (read as it grows, since it
// keeps only the last 10,000 entries) and counters on services' /metrics (summed over restarts,
// the way Prometheus's increase() survives a counter reset).
import type { SimRequest } from '../sim-control';

/**
 * Reads the simulator's request log incrementally (`GET /__sim/requests?afterSeq=`), keeping the
 * `/v5/order/create` entries, and notices when the simulator dropped entries it had not read.
 */
export class RequestLogReader {
  private lastSeq = 0;
  private readonly orderCreates: SimRequest[] = [];
  private complete = true;

  constructor(private readonly simUrl: string) {}

  /** Reads what arrived since the last call. @throws Error when the simulator does not answer. */
  async poll(): Promise<void> {
    const response = await fetch(`${this.simUrl}/__sim/requests?afterSeq=${this.lastSeq}`);
    if (!response.ok) throw new Error(`simulator request log → ${response.status}`);
    const { oldestSeq, requests } = (await response.json()) as { oldestSeq: number; requests: SimRequest[] };
    if (oldestSeq > this.lastSeq + 1) this.complete = false;
    for (const entry of requests) {
      if (entry.path === '/v5/order/create') this.orderCreates.push(entry);
      this.lastSeq = Math.max(this.lastSeq, entry.seq);
    }
  }

  /** Every order placement read so far, and whether none was missed. */
  result(): { orderCreates: SimRequest[]; complete: boolean } {
    return { orderCreates: [...this.orderCreates], complete: this.complete };
  }
}

/**
 * Sums one counter (every label set) across the incarnations of a service: the last value read
 * from each process id counts, so a restarted process starting again at 0 loses nothing that was
 * scraped before it died.
 */
export class CounterAccumulator {
  private readonly lastByPid = new Map<number, number>();

  constructor(private readonly metric: string) {}

  /** Scrapes `metricsUrl` of the process `pid`; a process that does not answer is skipped. */
  async scrape(pid: number, metricsUrl: string): Promise<void> {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (!response?.ok) return;
    this.lastByPid.set(pid, sumSamples(await response.text(), this.metric));
  }

  total(): number {
    return [...this.lastByPid.values()].reduce((a, b) => a + b, 0);
  }
}

/** Sum of every sample of `metric` in a Prometheus text exposition. */
export function sumSamples(exposition: string, metric: string): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(metric)) continue;
    const rest = line.slice(metric.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}
