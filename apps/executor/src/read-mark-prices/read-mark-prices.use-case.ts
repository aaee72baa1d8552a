import { Injectable } from '@nestjs/common';
import { BybitClientFactory, MarketDataPort } from '@legwork/exchange';
import type { MarkPrices } from '@legwork/messaging';

/**
 * Every linear mark price, for the gateway's P&L: public market data through the keyless client
 * (Bybit `GET /v5/market/tickers?category=linear`, no API key, no account secret). The gateway
 * asks for them (a bounded request) and caches them; it holds no exchange client itself.
 */
@Injectable()
export class ReadMarkPricesUseCase {
  private readonly market: MarketDataPort;

  constructor(factory: BybitClientFactory) {
    this.market = factory.publicMarketData();
  }

  /** @throws ExchangeUnavailableError / ExchangeRequestRefusedError when the tickers cannot be read */
  async execute(): Promise<MarkPrices> {
    const prices = await this.market.markPrices();
    return { prices: Object.fromEntries(prices), readAt: new Date().toISOString() };
  }
}
