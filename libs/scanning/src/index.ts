export * from './account-reader';
export * from './scan-settings';
export * from './scan-metrics';
export * from './reconcile-account.use-case';
export * from './scan-orphans.use-case';
export * from './scan-scheduler';
export * from './scan-job.handler';
export * from './scan-service';
