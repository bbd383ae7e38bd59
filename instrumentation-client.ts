import { config } from 'zod/v4/core';

/**
 * Runs in the browser before hydration. zod tries `new Function` once to see whether it may compile
 * its parsers; the pages' Content-Security-Policy (no 'unsafe-eval') refuses that, and the browser
 * reports the refusal as a violation. Compiled parsers are off in the browser either way: say so up
 * front, so the probe never runs.
 */
config({ jitless: true });
