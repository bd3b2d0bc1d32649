// How a thread comes to import a TypeScript job script: through tsx (an optional peer dependency)
// when it is installed, else through Node's own type stripping (Node 22.18+ / 23.6+). The
// `eddy run` command and every worker make the same choice, so both sides always agree.

import { StreamError } from '../core/errors.js';

/** Whether `url` (or path) names a TypeScript file. */
export function isTypeScript(url: string): boolean {
  return /\.(c|m)?tsx?$/.test(url.startsWith('file:') ? new URL(url).pathname : url);
}

/**
 * Lets this thread import .ts files; throws a `StreamError` that says what to install when it
 * cannot (no tsx, and a Node that does not strip types).
 */
export async function enableTypeScriptJobs(): Promise<void> {
  try {
    (await import('tsx/esm/api')).register();
    return;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' || !String((error as Error).message).includes("'tsx'")) throw error;
  }
  if ((process.features as { typescript?: unknown }).typescript) return;
  throw new StreamError(
    'INVALID_ARGUMENT',
    `eddy run needs tsx to run a TypeScript job on Node ${process.versions.node}: ` +
      'install it with `npm install --save-dev tsx`, or use Node 22.18 or newer, which runs TypeScript itself.',
  );
}
