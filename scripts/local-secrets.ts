/**
 * `npm start` runs the production build. Production refuses the development secrets published in
 * this repository (env.ts), so that a real deployment can never run on them. A trial of the
 * production build on one machine, with everything embedded (PGlite in DATA_DIR, sandbox
 * telephony), still needs no configuration: it gets random secrets of its own, generated once and
 * kept beside the data they protect. Imported first by the launcher, before env.ts reads them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

type Generated = Partial<Record<'AUTH_SECRET' | 'ENCRYPTION_KEY' | 'TWILIO_AUTH_TOKEN', string>>;

const fresh: Required<Generated> = {
  AUTH_SECRET: randomBytes(32).toString('base64url'),
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex'),
};

const set = (name: string) => (process.env[name] ?? '').trim() !== '';

/** What was generated, for the launcher to say so; null when nothing was needed. */
export let localSecretsFile: string | null = null;

if (process.argv.includes('--prod')) {
  (process.env as Record<string, string | undefined>).NODE_ENV ??= 'production';
  // With DATABASE_URL the data outlives this machine and other processes share it: secrets must
  // then come from the deployment, and env.ts says which one is missing.
  if (!set('DATABASE_URL')) {
    // Keep in step with DATA_DIR's default in env.ts (which cannot be imported before this runs).
    const file = path.resolve(process.env.DATA_DIR?.trim() || '.data', 'local-secrets.json');
    const stored: Generated = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    // A real Twilio account has its own token; a made-up one would only break its webhooks.
    const names = (['AUTH_SECRET', 'ENCRYPTION_KEY', 'TWILIO_AUTH_TOKEN'] as const).filter((name) => !set(name) && !(name === 'TWILIO_AUTH_TOKEN' && set('TWILIO_ACCOUNT_SID')));
    if (names.length > 0) {
      const next: Generated = { ...stored };
      for (const name of names) next[name] ??= fresh[name];
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      for (const name of names) process.env[name] = next[name];
      localSecretsFile = file;
    }
  }
}
