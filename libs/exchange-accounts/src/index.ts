export * from './account-exchange-connector';
export * from './account-stream-connector';
