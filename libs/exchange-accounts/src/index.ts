export * from './account-exchange-connector';
