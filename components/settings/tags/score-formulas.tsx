'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { ErrorNotice } from '@/components/settings/routing/shared';
import { useTRPC } from '@/components/trpc-provider';
import type { ScoreFormula, ScoreFormulas, ScoreTerm } from '@/server/tags/rules';
import { describeFact, type Translate } from './describe';
import { type FormulaDraft, formulaInWords, formulasToDraft, newTerm, type ScoreIssue, type ScoresDraft, TERM_FACTS, type TermDraft, validateScores, WHICH, type Which } from './score-words';
import './tag-rules.css';

/**
 * /settings/tags, below the rules: the value and behaviour score formulas. Each score is either
 * computed from data (base + weighted terms) or not (null: set by hand, by a flow or by import);
 * the form checks them with the server's schema, previews one on recent customers and saves both.
 */
export function ScoreFormulasAdmin() {
  const t = useTranslations('scoreFormulas');
  const trpc = useTRPC();
  const scores = useQuery(trpc.tags.scores.queryOptions());
  return (
    <section className="card settings-form tag-rule-form score-formulas" aria-labelledby="score-formulas-heading" data-testid="score-formulas">
      <h2 id="score-formulas-heading">{t('title')}</h2>
      <p className="muted">{t('intro')}</p>
      {scores.isPending && (
        <p className="muted" role="status">
          {t('loading')}
        </p>
      )}
      {scores.error && (
        <p className="error" role="alert">
          {t('loadFailed', { message: scores.error.message })}
        </p>
      )}
      {scores.data && <ScoresForm initial={scores.data} />}
    </section>
  );
}

function ScoresForm({ initial }: { initial: ScoreFormulas }) {
  const t = useTranslations('scoreFormulas');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(trpc.tags.saveScores.mutationOptions({ onSuccess: (saved) => queryClient.setQueryData(trpc.tags.scores.queryKey(), saved) }));
  const [draft, setDraft] = useState<ScoresDraft>(() => formulasToDraft(initial));
  const [attempted, setAttempted] = useState(false);
  const [saved, setSaved] = useState(false);
  const validation = useMemo(() => validateScores(draft), [draft]);

  const change = (which: Which, next: FormulaDraft) => {
    setDraft((d) => ({ ...d, [which]: next }));
    setSaved(false);
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAttempted(true);
    setSaved(false);
    if (!validation.ok) return;
    save.mutate(validation.formulas, { onSuccess: () => setSaved(true) });
  }

  return (
    <form method="post" onSubmit={submit} noValidate aria-label={t('title')}>
      {WHICH.map((which) => (
        <ScoreEditor
          key={which}
          which={which}
          draft={draft[which]}
          onChange={(next) => change(which, next)}
          formula={validation.ok ? validation.formulas[which] : undefined}
          issues={validation.ok ? [] : validation.issues.filter((i) => i.which === which)}
          showIssues={attempted}
          onAttempt={() => setAttempted(true)}
        />
      ))}
      <ErrorNotice error={save.error} />
      <div className="form-buttons">
        <button className="primary" type="submit" disabled={save.isPending} aria-busy={save.isPending} data-testid="score-save">
          {save.isPending ? t('saving') : t('save')}
        </button>
      </div>
      <div aria-live="polite">
        {saved && (
          <p className="saved-notice" role="status" data-testid="score-saved">
            {t('saved')}
          </p>
        )}
      </div>
    </form>
  );
}

function ScoreEditor({
  which,
  draft,
  onChange,
  formula,
  issues,
  showIssues,
  onAttempt,
}: {
  which: Which;
  draft: FormulaDraft;
  onChange: (next: FormulaDraft) => void;
  /** The checked formula (null: not computed), undefined while the form has issues. */
  formula: ScoreFormula | null | undefined;
  issues: ScoreIssue[];
  showIssues: boolean;
  onAttempt: () => void;
}) {
  const t = useTranslations('scoreFormulas');
  const words = useTranslations('scoreFormulas.words') as unknown as Translate;
  const describe = useTranslations('tagRules.describe') as unknown as Translate;
  const format = useFormatter();
  const num = (n: number) => format.number(n, { maximumFractionDigits: 4 });
  const trpc = useTRPC();
  const preview = useMutation(trpc.tags.previewScore.mutationOptions());
  const [previewedFor, setPreviewedFor] = useState<string>();
  const id = useId();
  const name = t(`names.${which}`);
  const shown = showIssues ? issues : [];
  const invalid = (field: ScoreIssue['field'], term?: number) => shown.some((i) => i.field === field && i.term === term);
  const current = formula ? JSON.stringify(formula) : undefined;

  const patchTerm = (index: number, change: Partial<TermDraft>) => onChange({ ...draft, terms: draft.terms.map((term, i) => (i === index ? { ...term, ...change } : term)) });
  const where = (issue: ScoreIssue) => {
    const parts = [name];
    if (issue.term !== undefined) parts.push(t('termN', { n: issue.term + 1 }));
    if (issue.field && issue.field !== 'terms') parts.push(issue.field === 'base' ? t('base') : t(issue.field));
    else if (issue.field === 'terms') parts.push(t('terms'));
    return parts.join(' · ');
  };

  function runPreview() {
    onAttempt();
    if (!formula) return;
    setPreviewedFor(current);
    preview.mutate({ which, formula });
  }

  return (
    <fieldset className="condition-group score-editor" data-testid={`score-${which}`}>
      <legend>{name}</legend>
      <label className="checkbox-field">
        <input type="checkbox" checked={draft.enabled} data-testid={`score-enabled-${which}`} onChange={(e) => onChange({ ...draft, enabled: e.target.checked })} /> {t('enabled')}
      </label>
      {!draft.enabled ? (
        <p className="muted">{t('notComputed')}</p>
      ) : (
        <>
          <div className={`field${invalid('base') ? ' invalid' : ''}`}>
            <label className="field-label" htmlFor={`${id}-base`}>
              {t('base')}
            </label>
            <input id={`${id}-base`} type="number" inputMode="decimal" min={0} max={1} step={0.05} value={draft.base} aria-invalid={invalid('base') || undefined} onChange={(e) => onChange({ ...draft, base: e.target.value })} />
          </div>
          <h3 id={`${id}-terms`}>{t('terms')}</h3>
          <ol className="condition-list" aria-labelledby={`${id}-terms`}>
            {draft.terms.map((term, index) => {
              const n = index + 1;
              const field = (key: ScoreIssue['field']) => `field${invalid(key, index) ? ' invalid' : ''}`;
              return (
                <li key={term.id} className={`condition-row${shown.some((i) => i.term === index) ? ' invalid' : ''}`} data-testid={`score-term-${which}`}>
                  <div className="condition-fields" role="group" aria-label={t('termN', { n })}>
                    <div className="field">
                      <label className="field-label" htmlFor={`${id}-${term.id}-fact`}>
                        {t('fact')}
                      </label>
                      <select
                        id={`${id}-${term.id}-fact`}
                        value={term.fact}
                        onChange={(e) => {
                          const fact = e.target.value as ScoreTerm['fact'];
                          patchTerm(index, { fact, withinDays: fact === 'attribute' ? '' : term.withinDays || '90' });
                        }}
                      >
                        {TERM_FACTS.map((fact) => (
                          <option key={fact} value={fact}>
                            {t(`factNames.${fact}`)}
                          </option>
                        ))}
                      </select>
                    </div>
                    {term.fact === 'attribute' ? (
                      <div className={field('key')}>
                        <label className="field-label" htmlFor={`${id}-${term.id}-key`}>
                          {t('key')}
                        </label>
                        <input id={`${id}-${term.id}-key`} value={term.key} maxLength={64} placeholder={t('keyPlaceholder')} aria-invalid={invalid('key', index) || undefined} onChange={(e) => patchTerm(index, { key: e.target.value })} />
                      </div>
                    ) : (
                      <div className={field('withinDays')}>
                        <label className="field-label" htmlFor={`${id}-${term.id}-days`}>
                          {t('withinDays')}
                        </label>
                        <input
                          id={`${id}-${term.id}-days`}
                          type="number"
                          inputMode="numeric"
                          min={1}
                          max={3650}
                          step={1}
                          value={term.withinDays}
                          aria-invalid={invalid('withinDays', index) || undefined}
                          onChange={(e) => patchTerm(index, { withinDays: e.target.value })}
                        />
                      </div>
                    )}
                    <div className={field('cap')}>
                      <label className="field-label" htmlFor={`${id}-${term.id}-cap`}>
                        {t('cap')}
                      </label>
                      <input id={`${id}-${term.id}-cap`} type="number" inputMode="decimal" min={0} step="any" value={term.cap} aria-invalid={invalid('cap', index) || undefined} onChange={(e) => patchTerm(index, { cap: e.target.value })} />
                    </div>
                    <div className={field('weight')}>
                      <label className="field-label" htmlFor={`${id}-${term.id}-weight`}>
                        {t('weight')}
                      </label>
                      <input
                        id={`${id}-${term.id}-weight`}
                        type="number"
                        inputMode="decimal"
                        min={-1}
                        max={1}
                        step={0.05}
                        value={term.weight}
                        aria-invalid={invalid('weight', index) || undefined}
                        onChange={(e) => patchTerm(index, { weight: e.target.value })}
                      />
                    </div>
                    <button type="button" className="remove-row" aria-label={t('removeTermN', { n })} onClick={() => onChange({ ...draft, terms: draft.terms.filter((_, i) => i !== index) })}>
                      {t('remove')}
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>
          <button type="button" disabled={draft.terms.length >= 10} onClick={() => onChange({ ...draft, terms: [...draft.terms, newTerm()] })}>
            {t('addTerm')}
          </button>
          <p data-testid={`score-words-${which}`}>
            <strong>{t('inWords')}:</strong> {formula ? formulaInWords(formula, words, describe, num) : '—'}
          </p>
        </>
      )}

      {shown.length > 0 && (
        <div className="error issues" role="alert" data-testid={`score-issues-${which}`}>
          <div>{t('fixFirst')}</div>
          <ul>
            {shown.map((issue, i) => (
              <li key={i}>{t('issue', { where: where(issue), message: issue.notANumber ? t('needsNumber') : issue.message })}</li>
            ))}
          </ul>
        </div>
      )}
      <ErrorNotice error={preview.error} />

      <div className="form-buttons">
        <button
          type="button"
          onClick={runPreview}
          disabled={!draft.enabled || preview.isPending}
          aria-busy={preview.isPending}
          aria-label={t('previewScore', { score: name })}
          data-testid={`score-preview-${which}`}
        >
          {preview.isPending ? t('previewing') : t('preview')}
        </button>
      </div>

      <div aria-live="polite" data-testid={`score-preview-result-${which}`}>
        {preview.data && draft.enabled && (
          <div className="tag-preview">
            {previewedFor !== current && (
              <p className="muted" role="status">
                {t('previewStale')}
              </p>
            )}
            {preview.data.length > 0 ? (
              <table>
                <caption className="muted">{t('previewCaption', { shown: preview.data.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('customer')}</th>
                    <th scope="col">{t('current')}</th>
                    <th scope="col">{t('computed')}</th>
                    <th scope="col">{t('figures')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.data.map((customer) => (
                    <tr key={customer.id}>
                      <td>
                        <Link href={`/customers/${customer.id}`}>{customer.name || t('unnamed')}</Link>
                      </td>
                      <td>{format.number(customer.current, { maximumFractionDigits: 2 })}</td>
                      <td>{format.number(customer.computed, { maximumFractionDigits: 2 })}</td>
                      <td>
                        <ul className="facts">
                          {customer.facts.map((fact, i) => (
                            <li key={i}>{describeFact(fact, describe)}</li>
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
    </fieldset>
  );
}
