'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useCallback, useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { ErrorNotice, formNumber, formText, TableState, useEditing } from './shared';

interface Agent {
  id: string;
  name: string;
  email: string;
  userId: string | null;
  userRole: string | null;
  senior: boolean;
  voiceCapacity: number;
  smsCapacity: number;
  phone: string;
  skills: { skillId: string; level: number }[];
}

const LEVELS = [1, 2, 3, 4, 5];

export function AgentsAdmin() {
  const t = useTranslations('routingSettings');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.routingSettings.agents.list.queryOptions());
  const candidates = useQuery(trpc.routingSettings.agents.candidates.queryOptions());
  const skills = useQuery(trpc.routingSettings.skills.list.queryOptions());
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.routingSettings.agents.list.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.routingSettings.agents.candidates.queryKey() });
  };
  const create = useMutation(trpc.routingSettings.agents.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.routingSettings.agents.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.routingSettings.agents.delete.mutationOptions({ onSuccess: refresh }));
  const [userId, setUserId] = useState('');
  const clearUser = useCallback(() => setUserId(''), []);
  const { editing, formKey, startEditing, stopEditing } = useEditing<Agent>(clearUser);
  const save = editing ? update : create;
  const skillName = (id: string) => skills.data?.find((s) => s.id === id)?.name ?? id;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fields = {
      name: formText(form, 'name') || undefined,
      senior: form.get('senior') === 'on',
      voiceCapacity: formNumber(form, 'voiceCapacity'),
      smsCapacity: formNumber(form, 'smsCapacity'),
      phone: formText(form, 'phone'),
      skills: (skills.data ?? []).filter((s) => form.get(`skill:${s.id}`) === 'on').map((s) => ({ skillId: s.id, level: formNumber(form, `level:${s.id}`) })),
    };
    const work = editing ? update.mutateAsync({ ...fields, id: editing.id }) : create.mutateAsync(userId ? { ...fields, userId } : { ...fields, email: formText(form, 'email') });
    await work.then(stopEditing, () => undefined);
  }

  const labels = { name: t('agents.name'), email: t('agents.email'), phone: t('agents.phone'), smsCapacity: t('agents.smsCapacity'), voiceCapacity: t('agents.voiceCapacity'), skills: t('agents.skills'), userId: t('agents.user') };
  const title = editing ? t('agents.editing', { name: editing.name }) : t('agents.new');
  return (
    <>
      <p className="muted">{t('agents.intro')}</p>
      <form key={formKey} className="card settings-form" method="post" onSubmit={submit} aria-label={title}>
        <h2>{title}</h2>
        {editing ? (
          <div className="field">
            <span className="field-label">{t('agents.email')}</span>
            <span>{editing.email}</span>
          </div>
        ) : (
          <>
            <label className="field">
              <span className="field-label">{t('agents.user')}</span>
              <select name="userId" value={userId} onChange={(e) => setUserId(e.target.value)}>
                <option value="">{t('agents.byEmail')}</option>
                {candidates.data?.map((user) => (
                  <option key={user.id} value={user.id}>
                    {user.name} ({user.email})
                  </option>
                ))}
              </select>
              {candidates.data?.length === 0 && <span className="field-help">{t('agents.noCandidates')}</span>}
            </label>
            {!userId && (
              <label className="field">
                <span className="field-label">{t('agents.email')}</span>
                <input name="email" type="email" required maxLength={320} />
              </label>
            )}
          </>
        )}
        <label className="field">
          <span className="field-label">{t('agents.name')}</span>
          <input name="name" required={!editing && !userId} maxLength={200} defaultValue={editing?.name} autoFocus={editing !== undefined} />
        </label>
        <label className="checkbox-field">
          <input name="senior" type="checkbox" defaultChecked={editing?.senior ?? false} /> {t('agents.senior')}
        </label>
        <label className="field">
          <span className="field-label">{t('agents.voiceCapacity')}</span>
          <select name="voiceCapacity" defaultValue={String(editing?.voiceCapacity ?? 1)}>
            <option value="1">{t('agents.voiceOne')}</option>
            <option value="0">{t('agents.voiceNone')}</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('agents.smsCapacity')}</span>
          <input name="smsCapacity" type="number" required min={0} max={20} defaultValue={editing?.smsCapacity ?? 3} />
        </label>
        <label className="field">
          <span className="field-label">{t('agents.phone')}</span>
          <input name="phone" type="tel" pattern="\+[1-9][0-9]{1,14}" placeholder="+14155550100" defaultValue={editing?.phone} aria-describedby="agent-phone-help" />
          <span id="agent-phone-help" className="field-help">
            {t('agents.phoneHelp')}
          </span>
        </label>
        <fieldset className="field">
          <legend className="field-label">{t('agents.skills')}</legend>
          <span className="field-help">{t('agents.skillsHelp')}</span>
          {skills.data?.length === 0 && <span className="field-help">{t('agents.noSkills')}</span>}
          {skills.data?.map((skill) => {
            const held = editing?.skills.find((s) => s.skillId === skill.id);
            return (
              <div key={skill.id} className="skill-level">
                <label>
                  <input type="checkbox" name={`skill:${skill.id}`} defaultChecked={held !== undefined} /> {skill.name}
                </label>
                <select name={`level:${skill.id}`} aria-label={t('agents.level', { skill: skill.name })} defaultValue={String(held?.level ?? 3)}>
                  {LEVELS.map((level) => (
                    <option key={level} value={level}>
                      {level}
                    </option>
                  ))}
                </select>
              </div>
            );
          })}
        </fieldset>
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
      <table data-testid="agents">
        <thead>
          <tr>
            <th>{t('agents.name')}</th>
            <th>{t('agents.email')}</th>
            <th>{t('agents.skills')}</th>
            <th>{t('agents.capacity')}</th>
            <th>{t('agents.phone')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          <TableState loading={list.isPending} error={list.error} empty={list.data?.length === 0} columns={6} emptyText={t('agents.empty')} />
          {list.data?.map((agent) => (
            <tr key={agent.id} data-testid={`agent-${agent.email}`}>
              <td>
                {agent.name} {agent.senior && <span className="badge">{t('agents.seniorShort')}</span>}
              </td>
              <td>
                {agent.email}
                {!agent.userRole && <div className="muted">{t('agents.notLinked')}</div>}
              </td>
              <td>{agent.skills.map((s) => `${skillName(s.skillId)} ${s.level}`).join(', ')}</td>
              <td>{t('agents.capacityValue', { voice: agent.voiceCapacity, sms: agent.smsCapacity })}</td>
              <td>{agent.phone}</td>
              <td>
<div className="row-actions">
                <button type="button" onClick={() => startEditing(agent)}>
                  {t('common.edit')}
                </button>
                <button type="button" disabled={remove.isPending} onClick={() => window.confirm(t('common.confirmDelete', { name: agent.name })) && remove.mutate({ id: agent.id })}>
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
