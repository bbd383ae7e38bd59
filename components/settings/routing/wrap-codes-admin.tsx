'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import type { FormEvent } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { ErrorNotice, formText, TableState, useEditing } from './shared';

interface WrapCode {
  id: string;
  label: string;
  labelZh: string;
  active: boolean;
}

export function WrapCodesAdmin() {
  const t = useTranslations('routingSettings');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.routingSettings.wrapCodes.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.routingSettings.wrapCodes.list.queryKey() });
  const create = useMutation(trpc.routingSettings.wrapCodes.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.routingSettings.wrapCodes.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.routingSettings.wrapCodes.delete.mutationOptions({ onSuccess: refresh }));
  const { editing, formKey, startEditing, stopEditing } = useEditing<WrapCode>();
  const save = editing ? update : create;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { id: editing?.id ?? formText(form, 'id'), label: formText(form, 'label'), labelZh: formText(form, 'labelZh'), active: form.get('active') === 'on' };
    await save.mutateAsync(input).then(stopEditing, () => undefined);
  }

  const labels = { id: t('wrapCodes.id'), label: t('wrapCodes.label'), labelZh: t('wrapCodes.labelZh') };
  const title = editing ? t('wrapCodes.editing', { id: editing.id }) : t('wrapCodes.new');
  return (
    <>
      <p className="muted">{t('wrapCodes.intro')}</p>
      <form key={formKey} className="card settings-form" method="post" onSubmit={submit} aria-label={title}>
        <h2>{title}</h2>
        <label className="field">
          <span className="field-label">{t('wrapCodes.id')}</span>
          <input name="id" required pattern="[a-z0-9][a-z0-9\-]*" maxLength={64} defaultValue={editing?.id} disabled={editing !== undefined} aria-describedby="wrap-id-help" />
          <span id="wrap-id-help" className="field-help">
            {t('wrapCodes.idHelp')}
          </span>
        </label>
        <label className="field">
          <span className="field-label">{t('wrapCodes.label')}</span>
          <input name="label" required maxLength={200} defaultValue={editing?.label} autoFocus={editing !== undefined} />
        </label>
        <label className="field">
          <span className="field-label">{t('wrapCodes.labelZh')}</span>
          <input name="labelZh" maxLength={200} lang="zh-CN" defaultValue={editing?.labelZh} />
        </label>
        <label className="checkbox-field">
          <input name="active" type="checkbox" defaultChecked={editing?.active ?? true} /> {t('common.active')}
        </label>
        <ErrorNotice error={save.error} labels={labels} />
        <div className="form-buttons">
          <button className="primary" type="submit" disabled={save.isPending}>
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
          {editing && (
            <button type="button" onClick={stopEditing}>
              {t('common.cancel')}
            </button>
          )}
        </div>
      </form>
      <ErrorNotice error={remove.error} />
      <table data-testid="wrap-codes">
        <thead>
          <tr>
            <th>{t('wrapCodes.id')}</th>
            <th>{t('wrapCodes.label')}</th>
            <th>{t('wrapCodes.labelZh')}</th>
            <th>{t('common.active')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          <TableState loading={list.isPending} error={list.error} empty={list.data?.length === 0} columns={5} emptyText={t('wrapCodes.empty')} />
          {list.data?.map((code) => (
            <tr key={code.id} data-testid={`wrap-code-${code.id}`}>
              <td>
                <code>{code.id}</code>
              </td>
              <td>{code.label}</td>
              <td lang="zh-CN">{code.labelZh}</td>
              <td>{code.active ? t('common.active') : t('common.inactive')}</td>
              <td>
<div className="row-actions">
                <button type="button" onClick={() => startEditing(code)}>
                  {t('common.edit')}
                </button>
                <button type="button" disabled={remove.isPending} onClick={() => window.confirm(t('common.confirmDelete', { name: code.label })) && remove.mutate({ id: code.id })}>
                  {t('common.delete')}
                </button>
              </div>
</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
