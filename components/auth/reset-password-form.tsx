'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { authClient } from './auth-client';

export function ResetPasswordForm({ token }: { token?: string }) {
  const t = useTranslations('auth');
  const [state, setState] = useState<'idle' | 'pending' | 'done'>('idle');
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) return setError(t('mismatch'));
    setState('pending');
    const { error: failed } = await authClient.resetPassword({ newPassword: password, token: token ?? '' });
    if (failed) {
      setState('idle');
      setError(t('resetFailed'));
      return;
    }
    setState('done');
  }

  if (!token) return <p className="error">{t('resetInvalid')}</p>;
  if (state === 'done')
    return (
      <div className="card auth-form">
        <p role="status">{t('resetDone')}</p>
        <Link href="/sign-in">{t('backToSignIn')}</Link>
      </div>
    );
  return (
    <form className="card auth-form" onSubmit={submit}>
      <h1>{t('resetTitle')}</h1>
      <label>
        {t('newPassword')}
        <input name="password" type="password" autoComplete="new-password" minLength={8} required />
      </label>
      <label>
        {t('confirmPassword')}
        <input name="confirm" type="password" autoComplete="new-password" minLength={8} required />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button className="primary" type="submit" disabled={state === 'pending'}>
        {t('setPassword')}
      </button>
    </form>
  );
}
