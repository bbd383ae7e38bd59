/**
 * Runs once as the Next.js server starts: reading the configuration here makes a server with a bad
 * or development-only value (in production) refuse to start, instead of failing its first request.
 */
export async function register() {
  await import('./env');
}
