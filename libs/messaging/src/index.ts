export * from './subjects';
export * from './envelope';
export * from './streams';
export * from './bus';
export * from './consumer';
export * from './retry-schedule';
export * from './alert-factory';
