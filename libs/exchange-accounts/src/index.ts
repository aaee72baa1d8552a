export * from './account-exchange-connector';
export * from './account-stream-connector';
export * from './kept-account-ports';
