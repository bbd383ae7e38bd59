'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { type FormEvent, useMemo, useRef, useState } from 'react';
import { ErrorNotice, TableState } from '@/components/settings/routing/shared';
import { useTRPC, useTRPCClient } from '@/components/trpc-provider';
import type { AppRouter } from '@/server/routers/_app';
import { tagRuleInputSchema } from '@/server/tags/rules';
import { ConditionBuilder, fieldName } from './condition-builder';
import { describeCondition, describeFact } from './describe';
import { type DraftIssue, emptyDraft, findNode, numbering, type RuleDraft, ruleToDraft, validateDraft } from './draft';
import './tag-rules.css';

type RuleRow = inferRouterOutputs<AppRouter>['tags']['rules'][number];
type PreviewInput = inferRouterInputs<AppRouter>['tags']['preview'];
type Preview = inferRouterOutputs<AppRouter>['tags']['preview'];

/**
 * /settings/tags: the tag rules (what each adds or removes and how many customers carry its tag),
 * the full pass on demand, and a form that builds a rule's condition as a tree, checks it with the
 * server's schema, previews whom it would tag and saves it.
 */
export function TagRulesAdmin() {
  const t = useTranslations('tagRules');
  const tb = useTranslations('tagRules.builder');
  const td = useTranslations('tagRules.describe');
  const format = useFormatter();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.tags.rules.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tags.rules.queryKey() });
  const save = useMutation(trpc.tags.save.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.tags.delete.mutationOptions({ onSuccess: refresh }));
  const runNow = useMutation(trpc.tags.runNow.mutationOptions({ onSuccess: refresh }));
  // A query on the server, asked for on demand (each click asks again: the data changes).
  const preview = useMutation<Preview, TRPCClientError<AppRouter>, PreviewInput>({ mutationFn: (input: PreviewInput) => client.tags.preview.query(input) });

  const [draft, setDraft] = useState<RuleDraft>(emptyDraft);
  const [editing, setEditing] = useState<{ id: string; name: string }>();
  const [attempted, setAttempted] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [unreadable, setUnreadable] = useState<string>();
  const [previewedFor, setPreviewedFor] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const validation = useMemo(() => validateDraft(draft), [draft]);
  const issues = attempted && !validation.ok ? validation.issues : [];
  const ruleNames = new Map((rules.data ?? []).map((r) => [r.id, r.name]));
  const current = validation.ok ? JSON.stringify(validation.rule) : undefined;

  const patch = (change: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...change }));

  function reset() {
    setDraft(emptyDraft());
    setEditing(undefined);
    setAttempted(false);
    setUnreadable(undefined);
    setPreviewedFor(undefined);
    save.reset();
    preview.reset();
  }

  function startEditing(row: RuleRow) {
    const parsed = tagRuleInputSchema.safeParse(row);
    reset();
    setNotice(undefined);
    if (!parsed.success) {
      setUnreadable(t('unreadable', { name: row.name }));
      return;
    }
    setDraft(ruleToDraft(parsed.data));
    setEditing({ id: row.id, name: row.name });
    formRef.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    nameRef.current?.focus({ preventScroll: true });
  }

  /** The rule to send, or undefined (and its issues shown) when the schema refuses it. */
  function checked(): PreviewInput | undefined {
    setAttempted(true);
    setNotice(undefined);
    if (!validation.ok) return undefined;
    return { ...validation.rule, id: editing?.id };
  }

  function runPreview() {
    const input = checked();
    if (!input) return;
    setPreviewedFor(current);
    preview.mutate(input);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = checked();
    if (!input) return;
    save.mutate(input, {
      onSuccess: (row) => {
        reset();
        setNotice(t('saved', { name: row.name }));
      },
    });
  }

  function confirmDelete(row: RuleRow) {
    if (!window.confirm(t('confirmDelete', { name: row.name }))) return;
    remove.mutate(
      { id: row.id },
      {
        onSuccess: () => {
          if (editing?.id === row.id) reset();
          setNotice(t('deleted', { name: row.name }));
        },
      },
    );
  }

  const numbers = numbering(draft.condition);
  const where = (issue: DraftIssue): string => {
    if (issue.field !== 'condition') return t(`fields.${issue.field}`);
    const node = issue.nodeId ? findNode(draft.condition, issue.nodeId) : undefined;
    if (!node) return t('fields.condition');
    const n = numbers.get(node.id) ?? '';
    if (node.type === 'group') return n ? tb('groupN', { n }) : t('fields.condition');
    const row = tb('conditionN', { n });
    return issue.leafField ? `${row} · ${fieldName(issue.leafField, node.leaf.fact, tb)}` : row;
  };

  const describe = (row: RuleRow) => {
    const parsed = tagRuleInputSchema.safeParse(row);
    return parsed.success ? describeCondition(parsed.data.condition, td) : t('unreadableShort');
  };
  const heading = editing ? t('editing', { name: editing.name }) : t('new');
  const result = runNow.data;
  const failed = result ? Object.entries(result.failed) : [];
  const labels = { name: t('fields.name'), tag: t('fields.tag'), action: t('fields.action'), condition: t('fields.condition'), expiresAfterDays: t('fields.expiresAfterDays'), enabled: t('fields.enabled') };

  return (
    <div className="tag-rules">
      <section aria-labelledby="tag-rules-heading">
        <div className="page-head">
          <h2 id="tag-rules-heading">{t('rules')}</h2>
          <button type="button" onClick={() => runNow.mutate()} disabled={runNow.isPending} aria-busy={runNow.isPending}>
            {runNow.isPending ? t('running') : t('runNow')}
          </button>
        </div>
        <div aria-live="polite" data-testid="tag-run-result">
          {result && (
            <p className="card run-result" role="status">
              {t('ran', {
                added: result.added,
                removed: result.removed,
                expired: result.expired,
                seconds: format.number(result.ms / 1000, { maximumFractionDigits: 2 }),
              })}
              {failed.length > 0 && (
                <span className="error">
                  {' '}
                  {t('failedRules', { count: failed.length, names: failed.map(([id, message]) => `${ruleNames.get(id) ?? id} (${message})`).join('; ') })}
                </span>
              )}
            </p>
          )}
        </div>
        <ErrorNotice error={runNow.error} />
        <ErrorNotice error={remove.error} />
        {notice && (
          <p className="card saved-notice" role="status" data-testid="tag-rule-saved">
            {notice}
          </p>
        )}
        <table data-testid="tag-rules">
          <thead>
            <tr>
              <th>{t('fields.name')}</th>
              <th>{t('fields.tag')}</th>
              <th>{t('fields.action')}</th>
              <th>{t('fields.enabled')}</th>
              <th>{t('tagged')}</th>
              <th>{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            <TableState loading={rules.isPending} error={rules.error} empty={rules.data?.length === 0} columns={6} emptyText={t('empty')} />
            {rules.data?.map((row) => (
              <tr key={row.id} data-testid="tag-rule-row" aria-selected={editing?.id === row.id}>
                <td>
                  <div className="rule-name">{row.name}</div>
                  <div className="muted rule-condition">{describe(row)}</div>
                </td>
                <td>
                  <span className="badge">{row.tag}</span>
                </td>
                <td>
                  {t(`actionNames.${row.action}`)}
                  {row.action === 'add' && row.expiresAfterDays !== null && <div className="muted">{t('expiresShort', { days: row.expiresAfterDays })}</div>}
                </td>
                <td>
                  <span className={`badge ${row.enabled ? 'ok' : 'draft'}`}>{row.enabled ? t('on') : t('off')}</span>
                </td>
                <td>{format.number(row.tagged)}</td>
                <td>
                  <div className="row-actions">
                    <button type="button" aria-label={t('editRule', { name: row.name })} onClick={() => startEditing(row)}>
                      {t('edit')}
                    </button>
                    <button type="button" className="danger" aria-label={t('deleteRule', { name: row.name })} disabled={remove.isPending} onClick={() => confirmDelete(row)}>
                      {t('delete')}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {unreadable && (
          <p className="error" role="alert">
            {unreadable}
          </p>
        )}
      </section>

      <form ref={formRef} className="card settings-form tag-rule-form" method="post" onSubmit={submit} aria-label={heading} noValidate data-testid="tag-rule-form">
        <h2>{heading}</h2>
        <div className="rule-fields">
          <div className={`field${issues.some((i) => i.field === 'name') ? ' invalid' : ''}`}>
            <label className="field-label" htmlFor="tag-rule-name">
              {t('fields.name')}
            </label>
            <input id="tag-rule-name" ref={nameRef} value={draft.name} maxLength={100} aria-required="true" onChange={(e) => patch({ name: e.target.value })} />
          </div>
          <div className={`field${issues.some((i) => i.field === 'tag') ? ' invalid' : ''}`}>
            <label className="field-label" htmlFor="tag-rule-tag">
              {t('fields.tag')}
            </label>
            <input id="tag-rule-tag" value={draft.tag} maxLength={48} aria-required="true" aria-describedby="tag-rule-tag-help" onChange={(e) => patch({ tag: e.target.value })} />
            <span id="tag-rule-tag-help" className="field-help">
              {t('tagHelp')}
            </span>
          </div>
          <div className="field">
            <label className="field-label" htmlFor="tag-rule-action">
              {t('fields.action')}
            </label>
            <select id="tag-rule-action" value={draft.action} onChange={(e) => patch({ action: e.target.value as RuleDraft['action'] })}>
              <option value="add">{t('actionChoices.add')}</option>
              <option value="remove">{t('actionChoices.remove')}</option>
            </select>
          </div>
          {draft.action === 'add' && (
            <div className={`field${issues.some((i) => i.field === 'expiresAfterDays') ? ' invalid' : ''}`}>
              <label className="field-label" htmlFor="tag-rule-expires">
                {t('fields.expiresAfterDays')}
              </label>
              <input
                id="tag-rule-expires"
                type="number"
                inputMode="numeric"
                min={1}
                max={3650}
                step={1}
                value={draft.expiresAfterDays}
                aria-describedby="tag-rule-expires-help"
                onChange={(e) => patch({ expiresAfterDays: e.target.value })}
              />
              <span id="tag-rule-expires-help" className="field-help">
                {t('expiresHelp')}
              </span>
            </div>
          )}
        </div>
        <label className="checkbox-field">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => patch({ enabled: e.target.checked })} /> {t('fields.enabled')}
        </label>

        <ConditionBuilder value={draft.condition} onChange={(condition) => patch({ condition })} issues={issues} />

        {issues.length > 0 && (
          <div className="error issues" role="alert" data-testid="tag-rule-issues">
            <div>{t('fixFirst')}</div>
            <ul>
              {issues.map((issue, i) => (
                <li key={i}>{t('issue', { where: where(issue), message: issue.message })}</li>
              ))}
            </ul>
          </div>
        )}
        <ErrorNotice error={save.error} labels={labels} />
        <ErrorNotice error={preview.error} labels={labels} />

        <div className="form-buttons">
          <button type="button" onClick={runPreview} disabled={preview.isPending} aria-busy={preview.isPending}>
            {preview.isPending ? t('previewing') : t('preview')}
          </button>
          <button className="primary" type="submit" disabled={save.isPending} aria-busy={save.isPending}>
            {save.isPending ? t('saving') : t('save')}
          </button>
          {editing && (
            <button type="button" onClick={reset}>
              {t('cancel')}
            </button>
          )}
        </div>

        <div aria-live="polite" data-testid="tag-preview">
          {preview.data && (
            <div className="tag-preview">
              <p className="preview-summary" role="status" data-testid="tag-preview-summary">
                <strong>{t('previewSummary', { matches: preview.data.matches, wouldAdd: preview.data.wouldAdd, wouldRemove: preview.data.wouldRemove })}</strong>
                {previewedFor !== current && <span className="muted"> · {t('previewStale')}</span>}
              </p>
              {preview.data.sample.length > 0 ? (
                <table data-testid="tag-preview-sample">
                  <caption className="muted">{t('sampleCaption', { shown: preview.data.sample.length, matches: preview.data.matches })}</caption>
                  <thead>
                    <tr>
                      <th>{t('customer')}</th>
                      <th>{t('hasTag')}</th>
                      <th>{t('facts')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.data.sample.map((customer) => (
                      <tr key={customer.id}>
                        <td>
                          <Link href={`/customers/${customer.id}`}>{customer.name || t('unnamed')}</Link>
                        </td>
                        <td>{customer.hasTag ? t('yes') : t('no')}</td>
                        <td>
                          <ul className="facts">
                            {customer.facts.map((fact, i) => (
                              <li key={i}>{describeFact(fact, td)}</li>
                            ))}
                          </ul>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">{t('previewNone')}</p>
              )}
            </div>
          )}
        </div>
      </form>
    </div>
  );
}
