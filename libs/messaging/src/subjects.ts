/**
 * Stream, consumer and subject names, optionally under a namespace so several deployments (or
 * parallel test files) can share one NATS server without seeing each other's messages.
 * Subjects read like the commands and events they carry: `trade.cmd.open`, `alerts.orphan.detected`.
 */
export interface BusNames {
  namespace: string;
  commandsStream: string;
  commandSubject: (type: CommandType) => string;
  commandsFilter: string;
  executorDurable: string;
  /** Captures MAX_DELIVERIES advisories of the commands stream: nothing vanishes silently. */
  deadLettersStream: string;
  maxDeliveriesAdvisory: string;
  alertsStream: string;
  alertSubject: (kind: string) => string;
  alertsFilter: string;
  /** The orphan monitor's durable consumer of ALERTS that posts each alert to Alertmanager. */
  alertDispatchDurable: string;
  /** Per-account scan jobs of the reconciler and the orphan monitor (work queue). */
  scanJobsStream: string;
  scanJobSubject: (job: ScanJobKind) => string;
  scanDurable: (job: ScanJobKind) => string;
  /** Operators' on-demand orphan scans (`ScanOrphans`, one run each), on the scan jobs stream. */
  orphanScanCommandSubject: string;
  orphanScanCommandDurable: string;
  /**
   * The gateway's bounded requests to the executor (NATS core request/reply, no stream: a
   * question answered now or not at all), and the queue group in which one executor replica
   * answers each. Outside every stream's filter, so no stream acknowledges them instead.
   */
  executorRequestSubject: (request: ExecutorRequestType) => string;
  executorRequestQueue: string;
}

export type ScanJobKind = 'reconcile' | 'orphans';

export const COMMAND_TYPES = ['OpenPosition', 'ClosePosition', 'RollbackPosition', 'RestorePosition'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

const COMMAND_TOKENS: Record<CommandType, string> = {
  OpenPosition: 'open',
  ClosePosition: 'close',
  RollbackPosition: 'rollback',
  RestorePosition: 'restore',
};

export const EXECUTOR_REQUEST_TYPES = ['PlanRestore', 'StartRestore', 'ReadMarkPrices'] as const;
export type ExecutorRequestType = (typeof EXECUTOR_REQUEST_TYPES)[number];

const EXECUTOR_REQUEST_TOKENS: Record<ExecutorRequestType, string> = {
  PlanRestore: 'restore.plan',
  StartRestore: 'restore.start',
  ReadMarkPrices: 'market.mark-prices',
};

/** @param namespace lowercase `[a-z0-9]`, empty for production (validated by each app's config). */
export function busNames(namespace = ''): BusNames {
  const p = namespace ? `${namespace}.` : '';
  const P = namespace ? `${namespace.toUpperCase()}_` : '';
  const commandsStream = `${P}TRADE_COMMANDS`;
  const executorDurable = `${P}executor`;
  return {
    namespace,
    commandsStream,
    commandSubject: (type) => `${p}trade.cmd.${COMMAND_TOKENS[type]}`,
    commandsFilter: `${p}trade.cmd.>`,
    executorDurable,
    deadLettersStream: `${P}TRADE_COMMANDS_DEAD_LETTERS`,
    maxDeliveriesAdvisory: `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${commandsStream}.${executorDurable}`,
    alertsStream: `${P}ALERTS`,
    alertSubject: (kind) => `${p}alerts.${kind}`,
    alertsFilter: `${p}alerts.>`,
    alertDispatchDurable: `${P}alertmanager-dispatch`,
    scanJobsStream: `${P}SCAN_JOBS`,
    scanJobSubject: (job) => `${p}scan.job.${job}`,
    scanDurable: (job) => `${P}scan-${job}`,
    orphanScanCommandSubject: `${p}scan.cmd.orphans`,
    orphanScanCommandDurable: `${P}scan-orphans-on-demand`,
    executorRequestSubject: (request) => `${p}executor.request.${EXECUTOR_REQUEST_TOKENS[request]}`,
    executorRequestQueue: `${P}executor-requests`,
  };
}
