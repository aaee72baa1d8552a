// Last-resort cleanup when the owning Node process exits while something it started still runs
// (a test forgot `stop()`, a worker called process.exit). Only synchronous work is possible in an
// 'exit' handler, so each entry is a synchronous kill. Normal shutdown paths unregister first.

const cleanups = new Set<() => void>();
let installed = false;

export function registerExitCleanup(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', () => {
      for (const fn of [...cleanups]) {
        try {
          fn();
        } catch {
          // Exiting anyway: nothing sensible to do with a failed kill here.
        }
      }
    });
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
