'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { ROLES, type Role } from '@/server/auth/permissions';

export function UsersAdmin({ selfId }: { selfId: string }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const invite = useMutation(trpc.users.invite.mutationOptions({ onSuccess: refresh }));
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: refresh }));
  const setActive = useMutation(trpc.users.setActive.mutationOptions({ onSuccess: refresh }));
  const [invited, setInvited] = useState<{ email: string; password: string }>();
  const error = invite.error ?? setRole.error ?? setActive.error;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const result = await invite.mutateAsync({ email: String(form.get('email')), name: String(form.get('name')), role: String(form.get('role')) as Role });
    setInvited({ email: result.user.email, password: result.temporaryPassword });
    formElement.reset();
  }

  return (
    <>
      <form className="card inline-form" method="post" onSubmit={submit} aria-label={t('users.invite')}>
        <h2>{t('users.invite')}</h2>
        <input name="email" type="email" placeholder={t('auth.email')} aria-label={t('auth.email')} required />
        <input name="name" placeholder={t('users.name')} aria-label={t('users.name')} required />
        <select name="role" aria-label={t('users.role')} defaultValue="agent">
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`)}
            </option>
          ))}
        </select>
        <button className="primary" type="submit" disabled={invite.isPending}>
          {t('users.sendInvite')}
        </button>
      </form>
      {invited && (
        <div className="card notice" role="status" data-testid="temporary-password">
          {t('users.temporaryPassword', { email: invited.email })} <code>{invited.password}</code>
          <div className="muted">{t('users.shownOnce')}</div>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>{t('auth.email')}</th>
            <th>{t('users.name')}</th>
            <th>{t('users.role')}</th>
            <th>{t('users.status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.data?.map((user) => (
            <tr key={user.id} data-testid={`user-${user.email}`}>
              <td>{user.email}</td>
              <td>{user.name}</td>
              <td>
                <select
                  aria-label={t('users.roleOf', { email: user.email })}
                  value={user.role}
                  disabled={setRole.isPending}
                  onChange={(e) => setRole.mutate({ userId: user.id, role: e.target.value as Role })}
                >
                  {ROLES.map((role) => (
                    <option key={role} value={role}>
                      {t(`roles.${role}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>{user.deactivatedAt ? t('users.deactivated') : t('users.active')}</td>
              <td>
                {user.id !== selfId && (
                  <button type="button" disabled={setActive.isPending} onClick={() => setActive.mutate({ userId: user.id, active: !!user.deactivatedAt })}>
                    {user.deactivatedAt ? t('users.reactivate') : t('users.deactivate')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
