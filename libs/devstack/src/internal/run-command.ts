import { execFile } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Runs a command to completion and resolves with its output; rejects with an Error whose message
 * holds the command line, exit status and both output streams (the part one needs to debug it).
 */
export function runCommand(file: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const status = error.code ?? error.signal ?? 'unknown';
          const output = [stdout.trim(), stderr.trim()].filter((s) => s.length > 0).join('\n');
          reject(new Error(`command failed (${String(status)}): ${[file, ...args].join(' ')}\n${output}`, { cause: error }));
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
