import 'server-only';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { eq } from 'drizzle-orm';
import { getDb, type Db } from '@/db/client';
import { accounts, sessions, users, verifications } from '@/db/schema';
import { env } from '@/env';
import { RESET_LINK_LOG_PREFIX } from '@/server/logging/redact';

/** Where password-reset links go while there is no mailer. */
export type ResetLinkSink = (message: { email: string; url: string }) => void;

/**
 * With a local database the link is printed for the person at the terminal (the one secret the
 * log carries on purpose; README). A shared server's logs are read by others: no link there.
 */
const logResetLink: ResetLinkSink = ({ email, url }) => {
  if (env.DATABASE_URL) console.info(`[auth] password reset requested for ${email}; no mailer is configured, so no link was sent`);
  else console.info(`${RESET_LINK_LOG_PREFIX} ${email}: ${url}`);
};

/**
 * better-auth over our drizzle tables. Email and password only, no public sign-up (admins invite
 * people from /settings/users), sessions in the database so revoking one is immediate.
 */
export function createAuth(db: Db, options: { onResetLink?: ResetLinkSink } = {}) {
  const onResetLink = options.onResetLink ?? logResetLink;
  return betterAuth({
    baseURL: env.PUBLIC_BASE_URL,
    secret: env.AUTH_SECRET,
    // The same app is reached as localhost and 127.0.0.1 in local mode.
    trustedOrigins: [env.PUBLIC_BASE_URL, `http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`],
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 8,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url }) => onResetLink({ email: user.email, url }),
    },
    user: {
      additionalFields: {
        role: { type: 'string', required: false, input: false, defaultValue: 'agent' },
        deactivatedAt: { type: 'date', required: false, input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    // Guessing passwords gets slow; the defaults (3 sign-ins per 10 s) lock out a shared office.
    rateLimit: {
      enabled: env.AUTH_SIGN_IN_LIMIT > 0,
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: 60, max: Math.max(env.AUTH_SIGN_IN_LIMIT, 1) },
        '/request-password-reset': { window: 60, max: 5 },
      },
    },
    databaseHooks: {
      session: {
        create: {
          // Sign-in creates a session; a deactivated user gets none.
          before: async (session) => {
            const [user] = await db.select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, session.userId));
            if (!user || user.deactivatedAt) throw new APIError('FORBIDDEN', { message: 'This account is deactivated.', code: 'USER_DEACTIVATED' });
          },
        },
      },
    },
    telemetry: { enabled: false },
    // better-auth skips its origin and CSRF checks under NODE_ENV=test; tests run the real ones.
    advanced: { disableOriginCheck: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { switchboardAuth?: Promise<Auth> };

/** The process-wide auth instance over the process-wide database. */
export function getAuth(): Promise<Auth> {
  globalForAuth.switchboardAuth ??= getDb()
    .then((db) => createAuth(db))
    .catch((error) => {
      globalForAuth.switchboardAuth = undefined;
      throw error;
    });
  return globalForAuth.switchboardAuth;
}
