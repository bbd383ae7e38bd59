'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';

export interface ResetPasswordState {
  error?: 'mismatch' | 'resetFailed';
  done?: boolean;
}

/** A server action, so the new password is posted (never put in a URL), with or without JavaScript. */
export type ResetPasswordAction = (state: ResetPasswordState, form: FormData) => Promise<ResetPasswordState>;

export function ResetPasswordForm({ action, token }: { action: ResetPasswordAction; token?: string }) {
  const t = useTranslations('auth');
  const [state, formAction, pending] = useActionState(action, {});

  if (!token) return <p className="error">{t('resetInvalid')}</p>;
  if (state.done)
    return (
      <div className="card auth-form">
        <p role="status">{t('resetDone')}</p>
        <Link href="/sign-in">{t('backToSignIn')}</Link>
      </div>
    );
  return (
    <form className="card auth-form" action={formAction}>
      <h1>{t('resetTitle')}</h1>
      <input type="hidden" name="token" value={token} />
      <label>
        {t('newPassword')}
        <input name="password" type="password" autoComplete="new-password" minLength={8} required />
      </label>
      <label>
        {t('confirmPassword')}
        <input name="confirm" type="password" autoComplete="new-password" minLength={8} required />
      </label>
      {state.error && (
        <p className="error" role="alert">
          {t(state.error)}
        </p>
      )}
      <button className="primary" type="submit" disabled={pending}>
        {t('setPassword')}
      </button>
    </form>
  );
}
