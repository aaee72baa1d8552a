export * from './subjects';
export * from './envelope';
export * from './streams';
export * from './bus';
export * from './consumer';
export * from './outbox-relay';
export * from './alert-factory';
export * from './service-health';
