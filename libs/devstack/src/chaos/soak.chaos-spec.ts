// The soak with faults (`npm run test:chaos`; CI runs it after the other suites): seeded traders
// and faults for CHAOS_DURATION_S (default 150 s), then the verdict of soak-checks.ts. Replay a
// failing run with the seed its summary prints: CHAOS_SEED=<seed> npm run test:chaos.
import { soakSettingsFrom } from './soak-settings';
import { describeSoak } from './soak-test';

describeSoak('soak with faults: executor SIGKILLs, NATS and PostgreSQL restarts, exchange faults', soakSettingsFrom(process.env));
