'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { E164 } from '@/nodes/shared/fields';
import type { Diagnostic } from '@/workflows/diagnostics';
import { useEditorStore } from './context';
import { Modal } from './modal';
import { ProblemsList } from './problems-panel';
import { useDiagnostics } from './use-diagnostics';

const NEW_NUMBER = '__new__';

/** Publish the draft with a message, optionally binding a number; refused with the reasons while there are errors. */
export function PublishDialog({ flowId, flush, onClose, onPublished }: { flowId: string; flush(): Promise<boolean>; onClose(): void; onPublished(version: number): void }) {
  const t = useTranslations('editor');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const store = useEditorStore();
  const diagnostics = useDiagnostics();
  const numbers = useQuery(trpc.flows.numbers.queryOptions());
  const publish = useMutation(trpc.flows.publish.mutationOptions());
  const [message, setMessage] = useState('');
  const [number, setNumber] = useState('');
  const [newNumber, setNewNumber] = useState('');
  const [refused, setRefused] = useState<Diagnostic[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errors = diagnostics.list.filter((d) => d.severity === 'error');
  const chosen = number === NEW_NUMBER ? newNumber.trim() : number;
  const numberInvalid = chosen !== '' && !E164.test(chosen);

  const submit = async () => {
    setError(null);
    setRefused(null);
    if (!(await flush())) {
      setError(t('publishNeedsSave'));
      return;
    }
    try {
      const result = await publish.mutateAsync({ id: flowId, message, expectedRevision: store.getState().draftRevision, number: chosen || undefined });
      if (!result.ok) {
        setRefused(result.diagnostics.filter((d) => d.severity === 'error'));
        return;
      }
      await queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });
      onPublished(result.version.version);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const blocking = refused ?? errors;
  return (
    <Modal title={t('publishTitle')} onClose={onClose} testId="publish-dialog">
      <form
        method="post"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {blocking.length > 0 && (
          <div className="publish-refused" role="alert" data-testid="publish-refused">
            <p className="error">{t('publishRefused', { count: blocking.length })}</p>
            <ProblemsList
              diagnostics={blocking}
              onPick={(d) => {
                if (d.nodeId) store.getState().focusNode(d.nodeId);
                onClose();
              }}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor="publish-message">{t('publishMessage')}</label>
          <textarea id="publish-message" data-testid="publish-message" rows={3} value={message} placeholder={t('publishMessageHint')} onChange={(e) => setMessage(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="publish-number">{t('publishNumber')}</label>
          <select id="publish-number" data-testid="publish-number" value={number} onChange={(e) => setNumber(e.target.value)}>
            <option value="">{t('keepNumbers')}</option>
            {numbers.data?.map((n) => {
              const current = n.voiceFlowId === flowId || n.smsFlowId === flowId;
              const other = [n.voiceFlowName, n.smsFlowName].filter(Boolean).join(', ');
              return (
                <option key={n.number} value={n.number}>
                  {n.number}
                  {n.label ? ` · ${n.label}` : ''}
                  {current ? ` (${t('thisFlow')})` : other ? ` (${t('answersWith', { flow: other })})` : ''}
                </option>
              );
            })}
            <option value={NEW_NUMBER}>{t('newNumber')}</option>
          </select>
          {number === NEW_NUMBER && (
            <input type="tel" aria-label={t('newNumber')} placeholder="+14155550100" value={newNumber} onChange={(e) => setNewNumber(e.target.value)} data-testid="publish-new-number" />
          )}
          {numberInvalid && <div className="field-error">{t('numberInvalid')}</div>}
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={errors.length > 0 || numberInvalid || publish.isPending} data-testid="publish-confirm">
            {publish.isPending ? t('publishing') : t('publish')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
