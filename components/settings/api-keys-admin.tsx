'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useFormatter, useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import type { Role } from '@/server/auth/permissions';

export function ApiKeysAdmin() {
  const t = useTranslations();
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const roles = useQuery(trpc.apiKeys.grantableRoles.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(trpc.apiKeys.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  const [created, setCreated] = useState<string>();
  const when = (date: Date | null) => (date ? format.dateTime(date, { dateStyle: 'medium', timeStyle: 'short' }) : '—');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const result = await create.mutateAsync({ name: String(form.get('name')), role: String(form.get('role')) as Role });
    setCreated(result.key);
    formElement.reset();
  }

  return (
    <>
      <form className="card inline-form" method="post" onSubmit={submit} aria-label={t('apiKeys.create')}>
        <h2>{t('apiKeys.create')}</h2>
        <input name="name" placeholder={t('apiKeys.name')} aria-label={t('apiKeys.name')} required />
        <select name="role" aria-label={t('apiKeys.role')}>
          {roles.data?.map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`)}
            </option>
          ))}
        </select>
        <button className="primary" type="submit" disabled={create.isPending || !roles.data?.length}>
          {t('apiKeys.create')}
        </button>
      </form>
      {created && (
        <div className="card notice" role="status" data-testid="new-api-key">
          {t('apiKeys.createdKey')} <code>{created}</code>
          <div className="muted">{t('apiKeys.shownOnce')}</div>
        </div>
      )}
      {(create.error ?? revoke.error) && (
        <p className="error" role="alert">
          {(create.error ?? revoke.error)?.message}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>{t('apiKeys.name')}</th>
            <th>{t('apiKeys.prefix')}</th>
            <th>{t('apiKeys.role')}</th>
            <th>{t('apiKeys.createdBy')}</th>
            <th>{t('apiKeys.createdAt')}</th>
            <th>{t('apiKeys.lastUsed')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.data?.map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td>
                <code>{key.prefix}…</code>
              </td>
              <td>{t(`roles.${key.role}`)}</td>
              <td>{key.createdBy}</td>
              <td>{when(key.createdAt)}</td>
              <td>{when(key.lastUsedAt)}</td>
              <td>
                {key.revokedAt ? (
                  <span className="muted">{t('apiKeys.revokedAt', { when: when(key.revokedAt) })}</span>
                ) : (
                  <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: key.id })}>
                    {t('apiKeys.revoke')}
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
