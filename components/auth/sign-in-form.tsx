'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { authClient } from './auth-client';

/** Only same-site paths: `next` comes from the URL and must not send people elsewhere. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInForm({ next }: { next?: string }) {
  const t = useTranslations('auth');
  const router = useRouter();
  const [mode, setMode] = useState<'signIn' | 'forgot'>('signIn');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '');
    setPending(true);
    setError(undefined);
    setNotice(undefined);
    if (mode === 'signIn') {
      const { error: failed } = await authClient.signIn.email({ email, password: String(form.get('password') ?? '') });
      if (failed) {
        setPending(false);
        setError(failed.status === 429 ? t('tooMany') : failed.code === 'USER_DEACTIVATED' || failed.status === 403 ? t('deactivated') : t('invalid'));
        return;
      }
      router.replace(safeNext(next));
      router.refresh();
      return;
    }
    await authClient.requestPasswordReset({ email, redirectTo: '/reset-password' });
    setPending(false);
    setNotice(t('resetSent'));
  }

  return (
    <form className="card auth-form" onSubmit={submit}>
      <h1>{mode === 'signIn' ? t('signInTitle') : t('forgotTitle')}</h1>
      <label>
        {t('email')}
        <input name="email" type="email" autoComplete="username" required />
      </label>
      {mode === 'signIn' && (
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      <button className="primary" type="submit" disabled={pending}>
        {mode === 'signIn' ? t('signIn') : t('sendReset')}
      </button>
      <button type="button" className="link" onClick={() => setMode(mode === 'signIn' ? 'forgot' : 'signIn')}>
        {mode === 'signIn' ? t('forgot') : t('backToSignIn')}
      </button>
    </form>
  );
}
