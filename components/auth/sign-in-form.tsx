'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { SignInError } from '@/server/auth/form-auth';

export interface SignInState {
  error?: SignInError;
  email?: string;
}

export interface ForgotPasswordState {
  sent?: boolean;
  error?: 'tooMany';
}

/**
 * Server actions, so both forms post (never a GET with the password in the URL) and work before
 * or without JavaScript; with it, React submits them without a page load.
 */
export type SignInAction = (state: SignInState, form: FormData) => Promise<SignInState>;
export type ForgotPasswordAction = (state: ForgotPasswordState, form: FormData) => Promise<ForgotPasswordState>;

export function SignInForm({ action, next }: { action: SignInAction; next?: string }) {
  const t = useTranslations('auth');
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form className="card auth-form" action={formAction}>
      <h1>{t('signInTitle')}</h1>
      {next && <input type="hidden" name="next" value={next} />}
      <label>
        {t('email')}
        <input name="email" type="email" autoComplete="username" required defaultValue={state.email} />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {state.error && (
        <p className="error" role="alert">
          {t(state.error)}
        </p>
      )}
      <button className="primary" type="submit" disabled={pending}>
        {t('signIn')}
      </button>
      <Link href="/sign-in?mode=forgot">{t('forgot')}</Link>
    </form>
  );
}

export function ForgotPasswordForm({ action }: { action: ForgotPasswordAction }) {
  const t = useTranslations('auth');
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form className="card auth-form" action={formAction}>
      <h1>{t('forgotTitle')}</h1>
      <label>
        {t('email')}
        <input name="email" type="email" autoComplete="username" required />
      </label>
      {state.error && (
        <p className="error" role="alert">
          {t(state.error)}
        </p>
      )}
      {state.sent && <p role="status">{t('resetSent')}</p>}
      <button className="primary" type="submit" disabled={pending}>
        {t('sendReset')}
      </button>
      <Link href="/sign-in">{t('backToSignIn')}</Link>
    </form>
  );
}
