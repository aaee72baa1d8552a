export * from './logger';
export * from './metrics';
export * from './health';
export * from './ops.controller';
export * from './env';
export * from './nest-logger';
