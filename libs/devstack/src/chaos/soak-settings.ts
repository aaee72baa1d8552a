import seedrandom from 'seedrandom';
import { z } from 'zod';

const settingsSchema = z.object({
  /** Seed of every random choice (actions, sizes, fault moments); default: a new one, printed. */
  CHAOS_SEED: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  /** How long trading and faults go on, in seconds. */
  CHAOS_DURATION_S: z.coerce.number().int().min(10).default(150),
  /** The same for the cluster soak (3-node NATS, R3 streams), shorter: it runs in `npm test` too. */
  CHAOS_CLUSTER_DURATION_S: z.coerce.number().int().min(30).default(90),
  CHAOS_ACCOUNTS: z.coerce.number().int().min(1).max(20).default(3),
  /** Mean pause between two trader actions, in ms. */
  CHAOS_ACTION_EVERY_MS: z.coerce.number().int().min(50).default(600),
  /** Mean pause between two faults, in ms. */
  CHAOS_FAULT_EVERY_MS: z.coerce.number().int().min(500).default(7_000),
  /** How long the system may take to settle once faults stop, in ms. */
  CHAOS_SETTLE_TIMEOUT_MS: z.coerce.number().int().min(10_000).default(240_000),
});

/** A soak's knobs, from `CHAOS_*` environment variables (see the README, "Tests"). */
export interface SoakSettings {
  seed: number;
  /**
   * 'single': one nats-server, restarted as a fault. 'cluster': a 3-node JetStream cluster with
   * R3 streams whose commands-stream leader, then a follower, are SIGKILLed and restarted.
   */
  nats: 'single' | 'cluster';
  durationMs: number;
  accounts: number;
  actionEveryMs: number;
  faultEveryMs: number;
  settleTimeoutMs: number;
}

/**
 * @param nats which bus the soak runs on; the cluster soak's duration is CHAOS_CLUSTER_DURATION_S.
 * @throws ZodError naming the variable when one is malformed.
 */
export function soakSettingsFrom(env: NodeJS.ProcessEnv, nats: SoakSettings['nats'] = 'single'): SoakSettings {
  const parsed = settingsSchema.parse(env);
  return {
    seed: parsed.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31),
    nats,
    durationMs: (nats === 'cluster' ? parsed.CHAOS_CLUSTER_DURATION_S : parsed.CHAOS_DURATION_S) * 1000,
    accounts: parsed.CHAOS_ACCOUNTS,
    actionEveryMs: parsed.CHAOS_ACTION_EVERY_MS,
    faultEveryMs: parsed.CHAOS_FAULT_EVERY_MS,
    settleTimeoutMs: parsed.CHAOS_SETTLE_TIMEOUT_MS,
  };
}

/** A seeded source of the soak's random choices (seedrandom's ARC4: same seed, same sequence). */
export class SoakRandom {
  private readonly next: () => number;

  constructor(seed: number | string) {
    this.next = seedrandom(String(seed));
  }

  /** Uniform in [0, 1). */
  unit(): number {
    return this.next();
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** A pause around `meanMs` (uniform in [0.5, 1.5] × mean). */
  pauseAround(meanMs: number): number {
    return Math.round(meanMs * (0.5 + this.next()));
  }

  /** An independent stream for one part of the soak, so adding a choice in one does not shift the others. */
  fork(name: string): SoakRandom {
    return new SoakRandom(`${Math.floor(this.next() * 2 ** 31)}:${name}`);
  }
}
