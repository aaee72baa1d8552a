import type { VerificationSettings } from '@legwork/exchange';

export const EXECUTOR_SETTINGS = Symbol('EXECUTOR_SETTINGS');

/** Runtime settings the use cases need (derived from config at boot). */
export interface ExecutorSettings {
  /** Unique per process: part of every lease owner id. */
  instanceId: string;
  /** How long a claimed position stays ours without renewal (= the consumer's ack wait). */
  leaseMs: number;
  verification: VerificationSettings;
  /** Bus namespace, for the subjects of commands and alerts this process enqueues. */
  namespace: string;
  /** A restore plan counts the account's other positions' exposure with the scans' grace (`ORPHAN_GRACE_MS`). */
  orphanGraceMs: number;
  /** How an open basket's legs are sent when the position names no mode (`EXECUTOR_DEFAULT_LEGGING`). */
  defaultLegging: Legging;
}

/** An open basket's legging mode: one leg after the other (halts at a rejection), or all in one create-batch request. */
export type Legging = 'sequential' | 'batch';
