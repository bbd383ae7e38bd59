'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import { useCallback, useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { renderScript, sampleVariables, SCRIPT_VARIABLES, unknownVariables } from '@/server/routing/scripts';
import { ErrorNotice, formText, TableState, useEscape } from './shared';

type Language = 'en' | 'zh-CN';
type Trigger = 'upset' | 'tag' | 'always';
const LANGUAGES: Language[] = ['en', 'zh-CN'];
const TRIGGERS: Trigger[] = ['upset', 'tag', 'always'];

interface ScriptRow {
  id: string;
  title: string;
  language: Language;
  trigger: Trigger;
  tag: string | null;
  body: string;
  active: boolean;
}

export function ScriptsAdmin() {
  const t = useTranslations('routingSettings');
  const tl = useTranslations('locale');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.routingSettings.scripts.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.routingSettings.scripts.list.queryKey() });
  const create = useMutation(trpc.routingSettings.scripts.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.routingSettings.scripts.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.routingSettings.scripts.delete.mutationOptions({ onSuccess: refresh }));
  const [editing, setEditing] = useState<ScriptRow>();
  const [formKey, setFormKey] = useState(0);
  // A new script is in the admin's language unless they pick the other one.
  const uiLanguage: Language = useLocale() === 'zh-CN' ? 'zh-CN' : 'en';
  // The fields the preview and the tag field follow.
  const [language, setLanguage] = useState<Language>(uiLanguage);
  const [trigger, setTrigger] = useState<Trigger>('always');
  const [body, setBody] = useState('');
  const save = editing ? update : create;
  const load = useCallback((script: ScriptRow | undefined) => {
    setEditing(script);
    setLanguage(script?.language ?? uiLanguage);
    setTrigger(script?.trigger ?? 'always');
    setBody(script?.body ?? '');
    setFormKey((k) => k + 1);
  }, [uiLanguage]);
  const stopEditing = useCallback(() => load(undefined), [load]);
  useEscape(editing !== undefined, stopEditing);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fields = { title: formText(form, 'title'), language, trigger, tag: trigger === 'tag' ? formText(form, 'tag') : null, body, active: form.get('active') === 'on' };
    await (editing ? update.mutateAsync({ ...fields, id: editing.id }) : create.mutateAsync(fields)).then(stopEditing, () => undefined);
  }

  const unknown = unknownVariables(body);
  const labels = { title: t('scripts.titleField'), language: t('scripts.language'), trigger: t('scripts.trigger'), tag: t('scripts.tag'), body: t('scripts.body') };
  const heading = editing ? t('scripts.editing', { title: editing.title }) : t('scripts.new');
  return (
    <>
      <p className="muted">{t('scripts.intro')}</p>
      <form key={formKey} className="card settings-form" method="post" onSubmit={submit} aria-label={heading}>
        <h2>{heading}</h2>
        <label className="field">
          <span className="field-label">{t('scripts.titleField')}</span>
          <input name="title" required maxLength={200} defaultValue={editing?.title} autoFocus={editing !== undefined} />
        </label>
        <label className="field">
          <span className="field-label">{t('scripts.language')}</span>
          <select name="language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {tl(l)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('scripts.trigger')}</span>
          <select name="trigger" value={trigger} onChange={(e) => setTrigger(e.target.value as Trigger)}>
            {TRIGGERS.map((tr) => (
              <option key={tr} value={tr}>
                {t(`scripts.triggers.${tr}`)}
              </option>
            ))}
          </select>
        </label>
        {trigger === 'tag' && (
          <label className="field">
            <span className="field-label">{t('scripts.tag')}</span>
            <input name="tag" required maxLength={100} defaultValue={editing?.tag ?? ''} aria-describedby="script-tag-help" />
            <span id="script-tag-help" className="field-help">
              {t('scripts.tagHelp')}
            </span>
          </label>
        )}
        <label className="field">
          <span className="field-label">{t('scripts.body')}</span>
          <textarea name="body" required rows={4} maxLength={4000} lang={language} value={body} onChange={(e) => setBody(e.target.value)} aria-describedby="script-variables" />
          <span id="script-variables" className="field-help">
            {t('scripts.variablesHelp', { variables: SCRIPT_VARIABLES.map((v) => `{{${v}}}`).join(' ') })}
          </span>
        </label>
        <label className="checkbox-field">
          <input name="active" type="checkbox" defaultChecked={editing?.active ?? true} /> {t('common.active')}
        </label>
        <div className="field" aria-live="polite">
          <span className="field-label">{t('scripts.preview')}</span>
          <blockquote className="script-preview" lang={language} data-testid="script-preview">
            {renderScript(body, sampleVariables(language, t('scripts.sampleAgent')))}
          </blockquote>
          {unknown.length > 0 && <span className="field-error">{t('scripts.unknownVariables', { variables: unknown.join(', ') })}</span>}
        </div>
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
      <table data-testid="scripts">
        <thead>
          <tr>
            <th>{t('scripts.titleField')}</th>
            <th>{t('scripts.language')}</th>
            <th>{t('scripts.trigger')}</th>
            <th>{t('scripts.body')}</th>
            <th>{t('common.active')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          <TableState loading={list.isPending} error={list.error} empty={list.data?.length === 0} columns={6} emptyText={t('scripts.empty')} />
          {list.data?.map((script) => (
            <tr key={script.id}>
              <td>{script.title}</td>
              <td>{tl(script.language)}</td>
              <td>
                {t(`scripts.triggers.${script.trigger}`)}
                {script.tag && <span className="badge">{script.tag}</span>}
              </td>
              <td lang={script.language} className="script-body">
                {script.body}
              </td>
              <td>{script.active ? t('common.active') : t('common.inactive')}</td>
              <td>
<div className="row-actions">
                <button type="button" onClick={() => load(script)}>
                  {t('common.edit')}
                </button>
                <button type="button" disabled={remove.isPending} onClick={() => window.confirm(t('common.confirmDelete', { name: script.title })) && remove.mutate({ id: script.id })}>
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
