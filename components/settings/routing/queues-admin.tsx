'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import type { FormEvent } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { ErrorNotice, formNumber, formText, TableState, useEditing } from './shared';

interface Skill {
  id: string;
  name: string;
  description: string;
  serviceLevelSeconds: number;
}

export function QueuesAdmin() {
  const t = useTranslations('routingSettings');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.routingSettings.skills.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.routingSettings.skills.list.queryKey() });
  const create = useMutation(trpc.routingSettings.skills.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.routingSettings.skills.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.routingSettings.skills.delete.mutationOptions({ onSuccess: refresh }));
  const { editing, formKey, startEditing, stopEditing } = useEditing<Skill>();
  const save = editing ? update : create;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { id: editing?.id ?? formText(form, 'id'), name: formText(form, 'name'), description: formText(form, 'description'), serviceLevelSeconds: formNumber(form, 'serviceLevelSeconds') };
    await save.mutateAsync(input).then(stopEditing, () => undefined);
  }

  const labels = { id: t('queues.id'), name: t('queues.name'), description: t('queues.description'), serviceLevelSeconds: t('queues.serviceLevel') };
  return (
    <>
      <p className="muted">{t('queues.intro')}</p>
      <form key={formKey} className="card settings-form" method="post" onSubmit={submit} aria-label={editing ? t('queues.editing', { id: editing.id }) : t('queues.new')}>
        <h2>{editing ? t('queues.editing', { id: editing.id }) : t('queues.new')}</h2>
        <label className="field">
          <span className="field-label">{t('queues.id')}</span>
          <input name="id" required pattern="[a-z0-9][a-z0-9\-]*" maxLength={64} defaultValue={editing?.id} disabled={editing !== undefined} aria-describedby="skill-id-help" autoFocus={editing !== undefined} />
          <span id="skill-id-help" className="field-help">
            {t('queues.idHelp')}
          </span>
        </label>
        <label className="field">
          <span className="field-label">{t('queues.name')}</span>
          <input name="name" required maxLength={200} defaultValue={editing?.name} />
        </label>
        <label className="field">
          <span className="field-label">{t('queues.description')}</span>
          <input name="description" maxLength={1000} defaultValue={editing?.description} />
        </label>
        <label className="field">
          <span className="field-label">{t('queues.serviceLevel')}</span>
          <input name="serviceLevelSeconds" type="number" required min={1} max={3600} defaultValue={editing?.serviceLevelSeconds ?? 30} aria-describedby="skill-sl-help" />
          <span id="skill-sl-help" className="field-help">
            {t('queues.serviceLevelHelp')}
          </span>
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
      <table data-testid="skills">
        <thead>
          <tr>
            <th>{t('queues.id')}</th>
            <th>{t('queues.name')}</th>
            <th>{t('queues.description')}</th>
            <th>{t('queues.serviceLevel')}</th>
            <th>{t('queues.agents')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          <TableState loading={list.isPending} error={list.error} empty={list.data?.length === 0} columns={6} emptyText={t('queues.empty')} />
          {list.data?.map((skill) => (
            <tr key={skill.id} data-testid={`skill-${skill.id}`}>
              <td>
                <code>{skill.id}</code>
              </td>
              <td>{skill.name}</td>
              <td>{skill.description}</td>
              <td>{t('queues.seconds', { count: skill.serviceLevelSeconds })}</td>
              <td>{skill.agentCount}</td>
              <td>
<div className="row-actions">
                <button type="button" onClick={() => startEditing(skill)}>
                  {t('common.edit')}
                </button>
                <button type="button" disabled={remove.isPending} onClick={() => window.confirm(t('common.confirmDelete', { name: skill.name })) && remove.mutate({ id: skill.id })}>
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
