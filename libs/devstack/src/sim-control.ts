/** A request the simulator received (GET /__sim/requests). */
export interface SimRequest {
  seq: number;
  time: number;
  method: string;
  path: string;
  apiKey: string | null;
  symbol: string | null;
  side: string | null;
  qty: string | null;
  orderLinkId: string | null;
  reduceOnly: boolean | null;
  httpStatus: number | null;
  retCode: number | null;
  fault: string | null;
}

/** Client of the simulator's control API (`/__sim/*`, see apps/bybit-sim/README.md). */
export class SimControl {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Replaces the faults in force (for one account when `apiKey` is given). */
  setFaults(faults: Record<string, unknown>): Promise<unknown> {
    return this.call('POST', '/__sim/faults', faults);
  }

  clearFaults(): Promise<unknown> {
    return this.call('DELETE', '/__sim/faults');
  }

  async requests(filter: { path?: string; apiKey?: string } = {}): Promise<SimRequest[]> {
    const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    return (await this.call<{ requests: SimRequest[] }>('GET', `/__sim/requests?${q.toString()}`)).requests;
  }

  /** Order placements for one account (every POST /v5/order/create it received, answered or not). */
  orderCreates(apiKey: string): Promise<SimRequest[]> {
    return this.requests({ path: '/v5/order/create', apiKey });
  }

  state<T = Record<string, unknown>>(): Promise<T> {
    return this.call('GET', '/__sim/state');
  }

  /** Trades on an account directly, as its owner would by hand on Bybit. */
  manualTrade(order: { apiKey: string; symbol: string; side: 'Buy' | 'Sell'; qty: string; reduceOnly?: boolean }): Promise<unknown> {
    return this.call('POST', '/__sim/trade', order);
  }

  setPrices(prices: Record<string, string>): Promise<unknown> {
    return this.call('POST', '/__sim/prices', prices);
  }
}
