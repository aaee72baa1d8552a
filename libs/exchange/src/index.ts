export * from './exchange.port';
export * from './exchange-outcome';
export * from './guarded-call';
export * from './bybit/order-link-id';
export * from './bybit/bybit-mapping';
export * from './bybit/bybit-client.factory';
export * from './verification/fill-verifier';
export * from './api-key-policy';
