// A tiny detached watchdog process: if its owner dies without cleaning up (Ctrl-C, SIGKILL, a
// crash in Jest itself), it signals the servers the owner started and removes their directories.
// Needed because PostgreSQL started by pg_ctl runs in its own session and survives its starter,
// and because 'exit' handlers do not run on signals.
import { spawn } from 'node:child_process';

export interface ReaperPlan {
  /** The process whose death triggers the clean-up. */
  ownerPid: number;
  /** Signals to send, in order (e.g. SIGQUIT to a postmaster = immediate shutdown). */
  signals: Array<{ pid: number; signal: NodeJS.Signals }>;
  /** Directories to remove afterwards (after a 3 s grace for the servers to exit). */
  removeDirs: string[];
}

export interface OrphanReaper {
  /** Ends the watchdog without it doing anything (normal teardown finished the job). */
  dispose(): void;
}

const REAPER_SOURCE = `
const plan = JSON.parse(process.argv[1]);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const timer = setInterval(() => {
  if (alive(plan.ownerPid)) return;
  clearInterval(timer);
  for (const s of plan.signals) { try { process.kill(s.pid, s.signal); } catch {} }
  setTimeout(() => {
    for (const dir of plan.removeDirs) { try { require('fs').rmSync(dir, { recursive: true, force: true }); } catch {} }
    process.exit(0);
  }, 3000);
}, 500);
`;

export function startOrphanReaper(plan: ReaperPlan): OrphanReaper {
  const child = spawn(process.execPath, ['-e', REAPER_SOURCE, JSON.stringify(plan)], {
    detached: true, // own process group: a Ctrl-C aimed at Jest must not take the watchdog with it
    stdio: 'ignore',
  });
  child.unref();
  return {
    dispose: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
