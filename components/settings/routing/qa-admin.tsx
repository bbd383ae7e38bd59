'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useFormatter, useTranslations } from 'next-intl';
import { useCallback, useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { checkReply, PATTERN_DETECTORS, patternProblem, type QaRule } from '@/server/routing/qa';
import { ErrorNotice, formText, TableState, useEscape } from './shared';

type Kind = QaRule['kind'];
type Action = QaRule['action'];
const KINDS: Kind[] = ['words', 'pattern', 'required-phrase'];
const ACTIONS: Action[] = ['block', 'warn'];
type PatternChoice = (typeof PATTERN_DETECTORS)[number] | 'custom';

interface RuleRow extends QaRule {
  active: boolean;
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** QA rules (admins) with a box to try a reply against them. */
export function QaRulesAdmin() {
  const t = useTranslations('routingSettings');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.routingSettings.qaRules.list.queryOptions());
  const codes = useQuery(trpc.routingSettings.wrapCodes.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.routingSettings.qaRules.list.queryKey() });
  const create = useMutation(trpc.routingSettings.qaRules.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.routingSettings.qaRules.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.routingSettings.qaRules.delete.mutationOptions({ onSuccess: refresh }));
  const [editing, setEditing] = useState<RuleRow>();
  const [formKey, setFormKey] = useState(0);
  const [kind, setKind] = useState<Kind>('words');
  const [patternChoice, setPatternChoice] = useState<PatternChoice>('@card-number');
  const [regex, setRegex] = useState('');
  const [sample, setSample] = useState('');
  const save = editing ? update : create;
  const load = useCallback((rule: RuleRow | undefined) => {
    setEditing(rule);
    setKind(rule?.kind ?? 'words');
    const detector = PATTERN_DETECTORS.find((d) => d === rule?.pattern);
    setPatternChoice(rule?.kind === 'pattern' && !detector ? 'custom' : (detector ?? '@card-number'));
    setRegex(rule?.kind === 'pattern' && !detector ? (rule.pattern ?? '') : '');
    setFormKey((k) => k + 1);
  }, []);
  const stopEditing = useCallback(() => load(undefined), [load]);
  useEscape(editing !== undefined, stopEditing);

  const pattern = patternChoice === 'custom' ? regex : patternChoice;
  const regexProblem = patternChoice === 'custom' && regex !== '' ? patternProblem(regex) : undefined;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fields = {
      name: formText(form, 'name'),
      kind,
      action: formText(form, 'action') as Action,
      terms: kind === 'pattern' ? [] : lines(String(form.get('terms') ?? '')),
      pattern: kind === 'pattern' ? pattern : null,
      wrapCodes: kind === 'required-phrase' ? form.getAll('wrapCodes').map(String) : [],
      message: formText(form, 'message'),
      active: form.get('active') === 'on',
    };
    await (editing ? update.mutateAsync({ ...fields, id: editing.id }) : create.mutateAsync(fields)).then(stopEditing, () => undefined);
  }

  const active = (list.data ?? []).filter((r) => r.active);
  const findings = sample.trim() ? checkReply(active, sample) : [];
  const detail = (rule: RuleRow) =>
    rule.kind === 'pattern' ? (PATTERN_DETECTORS.some((d) => d === rule.pattern) ? t(`qa.detectors.${rule.pattern as PatternChoice}`) : rule.pattern) : rule.kind === 'required-phrase' ? `${rule.terms.join(' / ')} → ${rule.wrapCodes.join(', ')}` : rule.terms.join(', ');
  const labels = { name: t('qa.name'), kind: t('qa.kind'), action: t('qa.action'), terms: t('qa.terms'), pattern: t('qa.pattern'), wrapCodes: t('qa.wrapCodes'), message: t('qa.message') };
  const heading = editing ? t('qa.editing', { name: editing.name }) : t('qa.new');
  return (
    <section aria-labelledby="qa-rules">
      <h2 id="qa-rules">{t('qa.rules')}</h2>
      <form key={formKey} className="card settings-form" method="post" onSubmit={submit} aria-label={heading}>
        <h2>{heading}</h2>
        <label className="field">
          <span className="field-label">{t('qa.name')}</span>
          <input name="name" required maxLength={200} defaultValue={editing?.name} autoFocus={editing !== undefined} />
        </label>
        <label className="field">
          <span className="field-label">{t('qa.kind')}</span>
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`qa.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('qa.action')}</span>
          <select name="action" defaultValue={editing?.action ?? 'block'}>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`qa.actionNames.${a}`)}
              </option>
            ))}
          </select>
        </label>
        {kind !== 'pattern' && (
          <label className="field">
            <span className="field-label">{kind === 'words' ? t('qa.terms') : t('qa.phrases')}</span>
            <textarea name="terms" required rows={4} defaultValue={editing?.terms.join('\n')} aria-describedby="qa-terms-help" />
            <span id="qa-terms-help" className="field-help">
              {t('qa.termsHelp')}
            </span>
          </label>
        )}
        {kind === 'pattern' && (
          <>
            <label className="field">
              <span className="field-label">{t('qa.pattern')}</span>
              <select aria-label={t('qa.pattern')} value={patternChoice} onChange={(e) => setPatternChoice(e.target.value as PatternChoice)}>
                {[...PATTERN_DETECTORS, 'custom' as const].map((choice) => (
                  <option key={choice} value={choice}>
                    {t(`qa.detectors.${choice}`)}
                  </option>
                ))}
              </select>
            </label>
            {patternChoice === 'custom' && (
              <label className={`field${regexProblem ? ' invalid' : ''}`}>
                <span className="field-label">{t('qa.regex')}</span>
                <input value={regex} onChange={(e) => setRegex(e.target.value)} required maxLength={500} spellCheck={false} aria-invalid={regexProblem !== undefined} aria-describedby="qa-regex-help" />
                <span id="qa-regex-help" className={regexProblem ? 'field-error' : 'field-help'}>
                  {regexProblem ?? t('qa.regexHelp')}
                </span>
              </label>
            )}
          </>
        )}
        {kind === 'required-phrase' && (
          <fieldset className="field">
            <legend className="field-label">{t('qa.wrapCodes')}</legend>
            {codes.data?.length === 0 && <span className="field-help">{t('qa.noWrapCodes')}</span>}
            {codes.data?.map((code) => (
              <label key={code.id} className="checkbox-field">
                <input type="checkbox" name="wrapCodes" value={code.id} defaultChecked={editing?.wrapCodes.includes(code.id)} /> {code.label} <code>{code.id}</code>
              </label>
            ))}
          </fieldset>
        )}
        <label className="field">
          <span className="field-label">{t('qa.message')}</span>
          <input name="message" required maxLength={500} defaultValue={editing?.message} />
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
      <table data-testid="qa-rules">
        <thead>
          <tr>
            <th>{t('qa.name')}</th>
            <th>{t('qa.kind')}</th>
            <th>{t('qa.action')}</th>
            <th>{t('qa.details')}</th>
            <th>{t('qa.message')}</th>
            <th>{t('common.active')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          <TableState loading={list.isPending} error={list.error} empty={list.data?.length === 0} columns={7} emptyText={t('qa.empty')} />
          {list.data?.map((rule) => (
            <tr key={rule.id}>
              <td>{rule.name}</td>
              <td>{t(`qa.kinds.${rule.kind}`)}</td>
              <td>
                <span className={`badge ${rule.action === 'block' ? 'bad' : 'warn'}`}>{t(`qa.actionNames.${rule.action}`)}</span>
              </td>
              <td>{detail(rule)}</td>
              <td>{rule.message}</td>
              <td>{rule.active ? t('common.active') : t('common.inactive')}</td>
              <td>
<div className="row-actions">
                <button type="button" onClick={() => load(rule)}>
                  {t('common.edit')}
                </button>
                <button type="button" disabled={remove.isPending} onClick={() => window.confirm(t('common.confirmDelete', { name: rule.name })) && remove.mutate({ id: rule.id })}>
                  {t('common.delete')}
                </button>
              </div>
</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="card settings-form">
        <label className="field">
          <span className="field-label">{t('qa.try')}</span>
          <textarea rows={2} value={sample} onChange={(e) => setSample(e.target.value)} placeholder={t('qa.tryPlaceholder')} />
        </label>
        <div aria-live="polite" data-testid="qa-try">
          {sample.trim() &&
            (findings.length === 0 ? (
              <span className="muted">{t('qa.tryNothing')}</span>
            ) : (
              findings.map((f) => (
                <div key={f.ruleId} className={f.action === 'block' ? 'error' : 'muted'}>
                  {t('qa.finding', { action: t(`qa.actionNames.${f.action}`), rule: f.ruleName, excerpt: f.excerpt })}
                </div>
              ))
            ))}
        </div>
      </div>
    </section>
  );
}

/** What QA caught, per agent (supervisors). */
export function QaHits() {
  const t = useTranslations('routingSettings');
  const format = useFormatter();
  const trpc = useTRPC();
  const [agentId, setAgentId] = useState<string>();
  const byAgent = useQuery(trpc.routingSettings.qaHits.byAgent.queryOptions());
  const hits = useQuery(trpc.routingSettings.qaHits.list.queryOptions({ agentId, limit: 100 }));
  const when = (date: Date | null) => (date ? format.dateTime(date, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
  return (
    <section aria-labelledby="qa-hits">
      <h2 id="qa-hits">{t('qa.hits')}</h2>
      <p className="muted">{t('qa.hitsIntro')}</p>
      <table data-testid="qa-hits-by-agent">
        <thead>
          <tr>
            <th>{t('qa.agent')}</th>
            <th>{t('qa.blocks')}</th>
            <th>{t('qa.warns')}</th>
            <th>{t('qa.last')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <TableState loading={byAgent.isPending} error={byAgent.error} empty={byAgent.data?.length === 0} columns={5} emptyText={t('qa.hitsEmpty')} />
          {byAgent.data?.map((row) => (
            <tr key={row.agentId ?? 'none'} aria-selected={row.agentId !== null && row.agentId === agentId}>
              <td>{row.agentName ?? t('qa.deletedAgent')}</td>
              <td>{row.blocks}</td>
              <td>{row.warns}</td>
              <td>{when(row.lastAt)}</td>
              <td>
                {row.agentId && (
                  <button type="button" onClick={() => setAgentId(row.agentId ?? undefined)} aria-pressed={row.agentId === agentId}>
                    {t('qa.show')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {agentId && (
        <button type="button" onClick={() => setAgentId(undefined)}>
          {t('qa.allAgents')}
        </button>
      )}
      <table data-testid="qa-hits">
        <thead>
          <tr>
            <th>{t('qa.when')}</th>
            <th>{t('qa.agent')}</th>
            <th>{t('qa.rule')}</th>
            <th>{t('qa.action')}</th>
            <th>{t('qa.excerpt')}</th>
          </tr>
        </thead>
        <tbody>
          <TableState loading={hits.isPending} error={hits.error} empty={hits.data?.length === 0} columns={5} emptyText={t('qa.hitsEmpty')} />
          {hits.data?.map((hit) => (
            <tr key={hit.id}>
              <td>{when(hit.at)}</td>
              <td>{hit.agentName ?? t('qa.deletedAgent')}</td>
              <td>{hit.ruleName ?? t('qa.deletedRule')}</td>
              <td>
                <span className={`badge ${hit.action === 'block' ? 'bad' : 'warn'}`}>{t(`qa.actionNames.${hit.action}`)}</span>
              </td>
              <td>
                <code>{hit.excerpt}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
