// The one Jest test both soaks run (soak.chaos-spec.ts on one nats-server, soak-cluster.chaos-spec.ts
// on a 3-node cluster): run the soak, print its summary line, fail with every violation.
import fs from 'node:fs/promises';
import path from 'node:path';
import { runSoak } from './soak-run';
import type { SoakSettings } from './soak-settings';

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Declares the soak test under `title` (call at a spec file's top level). A passing soak's logs
 * are removed; a failing one's stay, and their directory is printed with the violations.
 */
export function describeSoak(title: string, settings: SoakSettings): void {
  describe(title, () => {
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
}
