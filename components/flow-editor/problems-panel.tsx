'use client';

import { useTranslations } from 'next-intl';
import type { Diagnostic } from '@/workflows/diagnostics';
import { useEditorStore } from './context';
import { useDiagnostics } from './use-diagnostics';

export function ProblemsList({ diagnostics, onPick }: { diagnostics: readonly Diagnostic[]; onPick(diagnostic: Diagnostic): void }) {
  const t = useTranslations('editor');
  if (diagnostics.length === 0)
    return (
      <p className="muted" data-testid="no-problems">
        {t('noProblems')}
      </p>
    );
  return (
    <ul className="problems" data-testid="problems">
      {diagnostics.map((d, index) => (
        <li key={`${d.code}-${d.nodeId ?? ''}-${d.edgeId ?? ''}-${index}`}>
          <button type="button" className={`problem ${d.severity}`} data-testid="problem" data-code={d.code} data-node-id={d.nodeId} onClick={() => onPick(d)}>
            <span className="problem-icon" aria-label={t(d.severity)}>
              {d.severity === 'error' ? '⛔' : '⚠️'}
            </span>
            <span className="problem-message">{d.message}</span>
            <span className="problem-code">{d.code}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The problems drawer: every diagnostic of the draft; picking one focuses its node (or selects its edge). */
export function ProblemsDrawer() {
  const t = useTranslations('editor');
  const store = useEditorStore();
  const { list } = useDiagnostics();
  return (
    <section className="problems-drawer" aria-label={t('problems')} data-testid="problems-drawer">
      <header>
        <strong>{t('problems')}</strong>
        <button type="button" className="icon" aria-label={t('close')} onClick={() => store.getState().setProblemsOpen(false)}>
          ×
        </button>
      </header>
      <ProblemsList
        diagnostics={list}
        onPick={(d) => {
          if (d.nodeId) store.getState().focusNode(d.nodeId);
          else if (d.edgeId) store.getState().setSelection([], [d.edgeId]);
        }}
      />
    </section>
  );
}
