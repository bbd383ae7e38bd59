import { EnvError, parseEnv, type Env } from './env-schema';

export * from './env-schema';

/**
 * The one place that reads process.env. Every variable has a safe local default, so a fresh
 * clone runs with none set; an invalid value stops start-up with a message naming it.
 */
function load(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    // Scripts (launcher, worker, CLI) stop with one readable message; Next.js shows the error.
    if (error instanceof EnvError && !process.env.NEXT_RUNTIME && !process.env.VITEST) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

export const env: Env = load();
