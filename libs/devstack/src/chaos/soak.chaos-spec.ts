// The soak with faults (`npm run test:chaos`; CI runs it after the other suites): seeded traders
// and faults for CHAOS_DURATION_S (default 150 s), then the verdict of soak-checks.ts. Replay a
// failing run with the seed its summary prints: CHAOS_SEED=<seed> npm run test:chaos.
import fs from 'node:fs/promises';
import path from 'node:path';
import { runSoak } from './soak-run';
import { soakSettingsFrom } from './soak-settings';

const settings = soakSettingsFrom(process.env);
const say = (line: string) => process.stdout.write(`${line}\n`);

describe('soak with faults: executor SIGKILLs, NATS and PostgreSQL restarts, exchange faults', () => {
  it(
    'loses no command, places no leg twice, leaves no exposure unexplained, reports every manual trade',
    async () => {
      const { verdict, summary, logDir } = await runSoak(settings, say);
      say(summary);
      if (verdict.violations.length > 0) say(`[chaos] violations (logs kept in ${logDir}):\n  ${verdict.violations.join('\n  ')}`);
      else await fs.rm(path.dirname(logDir), { recursive: true, force: true });
      expect(verdict.violations).toEqual([]);
    },
    settings.durationMs + settings.settleTimeoutMs + 300_000,
  );
});
