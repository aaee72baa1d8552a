export * from './account-reader';
export * from './account-scan-job';
export * from './scan-settings';
export * from './scan-metrics';
export * from './scan-scheduler';
export * from './scan-job.handler';
export * from './scan-service';
export { APP_CONSUMERS, AppConsumers } from './scan-jobs.controller';
export * from './tracked-leg';
