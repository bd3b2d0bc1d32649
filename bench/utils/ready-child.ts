// A child process that says when it is ready by printing a line (a server's "listening on ..."):
// started, waited for until that line, and later stopped with a signal, for benchmarks and tests.

import { spawn } from 'node:child_process';

export interface ReadyChild {
  /** The ready line, matched. */
  readonly ready: RegExpExecArray;
  /** What it printed so far, standard output and error together. */
  output(): string;
  /** Sends `signal` and resolves with the exit code (null: ended by a signal); SIGKILL and a rejection after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/** The last lines of `output`, for an error message. */
function tail(output: string): string {
  return output.trimEnd().split('\n').slice(-10).join('\n');
}

/** Runs `command args` and resolves once its standard output has a line matching `readyLine`; rejects when it exits first or after `timeoutMs`. */
export function startReadyChild(command: string, args: readonly string[], readyLine: RegExp, timeoutMs = 30_000): Promise<ReadyChild> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let output = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve((exitCode = code))));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', stopTimeoutMs = 30_000): Promise<number | null> => {
    if (exitCode !== undefined) return exitCode;
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${command} ${args.join(' ')} did not exit within ${stopTimeoutMs} ms of ${signal}; it printed:\n${tail(output)}`));
      }, stopTimeoutMs);
    });
    try {
      return await Promise.race([exited, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} printed no line matching ${readyLine} within ${timeoutMs} ms; it printed:\n${tail(output)}`));
    }, timeoutMs);
    let ready: RegExpExecArray | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (ready !== null) return;
      stdout += text;
      ready = readyLine.exec(stdout);
      if (ready === null) return;
      clearTimeout(timer);
      resolve({ ready, output: () => output, stop });
    });
    child.on('error', reject);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (code ${code}) before it was ready; it printed:\n${tail(output)}`));
    });
  });
}
