'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useTRPC } from '@/components/trpc-provider';

/** Reveal (audited), export (audited, masked by role) and erase: each only when the role may. */
export function CustomerActions({ id, canUnmask, canExport, canErase }: { id: string; canUnmask: boolean; canExport: boolean; canErase: boolean }) {
  const t = useTranslations('customers');
  const trpc = useTRPC();
  const router = useRouter();
  const unmask = useMutation(trpc.customers.unmask.mutationOptions());
  const exportData = useMutation(
    trpc.customers.export.mutationOptions({
      onSuccess: (data) => {
        const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
        const link = document.createElement('a');
        link.href = url;
        link.download = `customer-${id}.json`;
        link.click();
        URL.revokeObjectURL(url);
      },
    }),
  );
  const erase = useMutation(trpc.customers.erase.mutationOptions({ onSuccess: () => router.push('/customers') }));
  const error = unmask.error ?? exportData.error ?? erase.error;
  if (!canUnmask && !canExport && !canErase) return null;
  return (
    <section className="card actions">
      {canUnmask && (
        <button type="button" disabled={unmask.isPending} onClick={() => unmask.mutate({ id })}>
          {t('reveal')}
        </button>
      )}
      {canExport && (
        <button type="button" disabled={exportData.isPending} onClick={() => exportData.mutate({ id })}>
          {t('export')}
        </button>
      )}
      {canErase && (
        <button
          type="button"
          className="danger"
          disabled={erase.isPending}
          onClick={() => {
            if (window.confirm(t('eraseConfirm'))) erase.mutate({ id });
          }}
        >
          {t('erase')}
        </button>
      )}
      {unmask.data && (
        <dl data-testid="revealed">
          {unmask.data.identities.map((i) => (
            <div key={`${i.kind}:${i.value}`}>
              <dt>{t(`kinds.${i.kind}`)}</dt>
              <dd>{i.value}</dd>
            </div>
          ))}
          {Object.entries(unmask.data.sensitive).map(([field, value]) => (
            <div key={field}>
              <dt>{t(`fields.${field}`)}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}
