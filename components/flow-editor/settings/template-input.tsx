'use client';

import { lazy, Suspense, useContext, useSyncExternalStore } from 'react';
import { RichEditorsContext } from './pickers';

// Monaco is big and browser-only: loaded on first use, from our own bundle (never a CDN).
const MonacoTemplate = lazy(() => import('./monaco-template'));

const subscribe = () => () => {};

/** A text template with `{{variable}}` autocompletion. */
export function TemplateInput({ value, onChange, id, rows = 3, label }: { value: string; onChange(value: string): void; id?: string; rows?: number; label: string }) {
  const rich = useContext(RichEditorsContext);
  const mounted = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const plain = <textarea id={id} rows={rows} value={value} aria-label={label} onChange={(e) => onChange(e.target.value)} />;
  if (!rich || !mounted) return plain;
  return (
    <Suspense fallback={plain}>
      <div className="template-editor" data-testid={id ? `template-${id}` : undefined}>
        <MonacoTemplate value={value} onChange={onChange} lines={rows} ariaLabel={label} />
      </div>
    </Suspense>
  );
}
