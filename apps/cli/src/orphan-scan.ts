import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const finding = z.looseObject({
  symbol: z.string(),
  hedgeSide: z.enum(['long', 'short']).nullable(),
  side: z.enum(['long', 'short']),
  size: z.string(),
  status: z.enum(['suspected', 'confirmed']),
  consecutiveScans: z.number(),
  firstSeenAt: z.string(),
  origin: z.enum(['legwork_order', 'manual_trade']).nullable(),
});

/** The parts of the orphan monitor's report (`ManualScanReport`) the CLI reads; the rest is printed as it came. */
const scanReport = z.looseObject({
  scannedAt: z.string(),
  accounts: z.array(
    z.union([
      z.looseObject({ accountId: z.string(), error: z.string() }),
      z.looseObject({ accountId: z.string(), skipped: z.string() }),
      z.looseObject({ accountId: z.string(), orphans: z.array(finding) }),
    ]),
  ),
  confirmed: z.number(),
  failedAccounts: z.number(),
  skippedAccounts: z.number(),
});
export type OrphanScanReport = z.infer<typeof scanReport>;

/** The orphan monitor's entry point, beside this one in the build (`dist/apps/<app>/src/main.js`). */
const ORPHAN_MONITOR_MAIN = path.resolve(__dirname, '../../orphan-monitor/src/main.js');

/**
 * One on-demand orphan scan (one account, or every account), run by the orphan monitor's own
 * one-shot command (`main.js scan`) in a child process with this process's environment: the scan
 * is the orphan monitor's use case (an app never imports another), and it runs without the
 * orphan monitor service, NATS or the gateway — the CLI is what operators use when those are down.
 * @returns the report as printed (`raw`, for `--json`) and the fields the CLI reads.
 * @throws Error with the orphan monitor's message when the scan could not run at all (a bad
 *   variable, the database unreachable); a failed account is in the report.
 */
export async function scanOrphans(accountId?: string): Promise<{ raw: unknown; report: OrphanScanReport }> {
  const args = [ORPHAN_MONITOR_MAIN, 'scan', ...(accountId ? ['--account', accountId] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 256 * 1024 * 1024 }).catch(
    (error: { stderr?: string; message: string }) => {
      throw new Error(error.stderr?.trim() || error.message);
    },
  );
  const raw: unknown = JSON.parse(stdout);
  return { raw, report: scanReport.parse(raw) };
}
