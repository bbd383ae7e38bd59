import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The configuration schema and its checks; `env.ts` reads process.env through it. */
const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/** Unset or blank: the development value, which `checkSecrets` refuses where it matters. */
const secret = (development: string) => optional.transform((v) => v ?? development);

const port = z.coerce.number().int().min(1).max(65535);

/**
 * Development values, published in this repository. They keep `npm run dev` and the tests free of
 * configuration, and are refused wherever a stranger could use them (see `checkSecrets`).
 */
export const DEVELOPMENT_SECRETS = {
  TWILIO_AUTH_TOKEN: 'switchboard-sandbox-auth-token',
  AUTH_SECRET: 'switchboard-local-development-secret',
  ENCRYPTION_KEY: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
} as const;

type SecretName = keyof typeof DEVELOPMENT_SECRETS;

const GENERATE: Record<SecretName, string> = {
  TWILIO_AUTH_TOKEN: "copy your account's Auth Token from the Twilio console (Account → API keys & tokens)",
  AUTH_SECRET: 'generate one with `openssl rand -base64 32`',
  ENCRYPTION_KEY: 'generate one with `openssl rand -hex 32` (and keep it: data encrypted with it is unreadable without it)',
};

/** Fewer distinct characters than this is a made-up value (`aaaa…`, `1234…`), not a random one. */
const MIN_DISTINCT = 10;
const MIN_LENGTH: Record<SecretName, number> = { TWILIO_AUTH_TOKEN: 32, AUTH_SECRET: 32, ENCRYPTION_KEY: 64 };

function secretProblem(name: SecretName, value: string): string | null {
  if (value === DEVELOPMENT_SECRETS[name]) return 'is the development default published in the repository';
  if (value.length < MIN_LENGTH[name]) return `is too short (${value.length} characters; at least ${MIN_LENGTH[name]})`;
  if (new Set(value).size < MIN_DISTINCT) return 'is too weak (too few distinct characters to be random)';
  return null;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * In production, and whenever real Twilio is configured (anyone on the internet can then reach the
 * webhooks), the secrets must be real: a published default would let anyone forge webhooks or
 * sessions, or read encrypted fields. Returns one message per problem, naming the variable.
 */
export function checkSecrets(e: { NODE_ENV: string; TWILIO_ACCOUNT_SID?: string; PUBLIC_BASE_URL?: string } & Record<SecretName, string>): string[] {
  const production = e.NODE_ENV === 'production';
  const twilio = e.TWILIO_ACCOUNT_SID !== undefined;
  if (!production && !twilio) return [];
  const why = production ? 'in production' : 'with TWILIO_ACCOUNT_SID set';
  const problems: string[] = [];
  for (const name of Object.keys(DEVELOPMENT_SECRETS) as SecretName[]) {
    const problem = secretProblem(name, e[name]);
    if (problem !== null) problems.push(`${name}: ${problem}; it must be set ${why}: ${GENERATE[name]}`);
  }
  const url = production && e.PUBLIC_BASE_URL !== undefined && URL.canParse(e.PUBLIC_BASE_URL) ? new URL(e.PUBLIC_BASE_URL) : null;
  if (url !== null) {
    if (url.protocol !== 'https:' && !LOOPBACK.has(url.hostname)) {
      problems.push(`PUBLIC_BASE_URL: must be an https:// URL in production (Twilio signs and sends requests to it), not ${url.origin}`);
    }
  }
  return problems;
}

const e164 = optional.refine((v) => v === undefined || /^\+[1-9]\d{6,14}$/.test(v), {
  message: 'must be an E.164 number such as +15005550100',
});

const PUBLIC_BASE_URL = optional.refine((v) => v === undefined || /^https?:\/\/[^/]+/.test(v), {
  message: 'must be an http(s) URL such as https://switchboard.example.com',
});

/** The URL Twilio calls, as the app uses it: the given one without a trailing slash, else localhost on PORT. */
function publicBaseUrl(e: { PORT: number; PUBLIC_BASE_URL?: string | undefined }): string {
  return (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
}

/**
 * Only PUBLIC_BASE_URL, for next.config.ts: `next build` loads it with NODE_ENV=production and none
 * of the secrets, which only a running server needs.
 */
export const publicUrlSchema = z.object({ PORT: port.default(3000), PUBLIC_BASE_URL }).transform(publicBaseUrl);

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port.default(3000),
    DATA_DIR: z.string().default('.data'),
    CACHE_DIR: z.string().default(path.join(os.homedir(), '.cache', 'switchboard')),
    DATABASE_URL: optional.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be a postgres:// URL',
    }),
    PUBLIC_BASE_URL,
    TEMPORAL_ADDRESS: optional,
    TEMPORAL_NAMESPACE: z.string().default('default'),
    TEMPORAL_API_KEY: optional,
    TEMPORAL_TLS: bool,
    TEMPORAL_CLI: optional,
    TEMPORAL_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('switchboard'),
    TWILIO_ACCOUNT_SID: optional.refine((v) => v === undefined || /^AC[0-9a-fA-F]{32}$/.test(v), {
      message: 'must look like AC followed by 32 hex characters',
    }),
    TWILIO_AUTH_TOKEN: secret(DEVELOPMENT_SECRETS.TWILIO_AUTH_TOKEN),
    TWILIO_FALLBACK_NUMBER: e164,
    AUTH_SECRET: secret(DEVELOPMENT_SECRETS.AUTH_SECRET),
    ENCRYPTION_KEY: secret(DEVELOPMENT_SECRETS.ENCRYPTION_KEY).pipe(z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)')),
    /** Sign-in attempts per minute per client address before 429; 0 turns the limit off. */
    AUTH_SIGN_IN_LIMIT: z.coerce.number().int().min(0).default(10),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Set by Next.js while it builds. */
    NEXT_PHASE: optional,
  })
  .superRefine((e, ctx) => {
    // `next build` evaluates server modules with NODE_ENV=production but serves nobody; the secrets
    // are the running server's business (instrumentation.ts checks them as it starts).
    if (e.NEXT_PHASE === 'phase-production-build') return;
    for (const message of checkSecrets(e)) ctx.addIssue({ code: 'custom', message });
  })
  .transform((e) => ({
    ...e,
    PUBLIC_BASE_URL: publicBaseUrl(e),
    /** Twilio's REST API when an account is configured, else the sandbox that stores traffic. */
    TELEPHONY: e.TWILIO_ACCOUNT_SID ? ('twilio' as const) : ('sandbox' as const),
    /** Whether `npm run dev` launches its own Temporal dev server. */
    TEMPORAL_EMBEDDED: e.TEMPORAL_ADDRESS === undefined,
    TEMPORAL_TARGET: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_PORT}`,
  }));

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`);
  throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
}

