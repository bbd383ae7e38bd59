'use client';

import type { TRPCClientErrorLike } from '@trpc/client';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useState } from 'react';
import type { AppRouter } from '@/server/routers/_app';

type ClientError = TRPCClientErrorLike<AppRouter>;

/**
 * A refused save, readable: the server's message, or for input it rejected one line per field,
 * named with the form's own labels.
 */
export function ErrorNotice({ error, labels = {} }: { error: ClientError | null | undefined; labels?: Record<string, string> }) {
  const t = useTranslations('routingSettings.common');
  if (!error) return null;
  const zod = error.data?.zodError;
  const lines = zod
    ? [...zod.formErrors, ...Object.entries(zod.fieldErrors as Record<string, string[] | undefined>).flatMap(([field, messages]) => (messages ?? []).map((message: string) => t('fieldError', { field: labels[field] ?? field, message })))]
    : [error.message];
  return (
    <div className="error" role="alert">
      {lines.map((line, i) => (
        <div key={i}>{line}</div>
      ))}
    </div>
  );
}

/** The table's state while it loads or when it has nothing, in one row across its columns. */
export function TableState({ loading, error, empty, columns, emptyText }: { loading: boolean; error: ClientError | null; empty: boolean; columns: number; emptyText: string }) {
  const t = useTranslations('routingSettings.common');
  const text = loading ? t('loading') : error ? t('loadFailed', { message: error.message }) : empty ? emptyText : undefined;
  if (text === undefined) return null;
  return (
    <tr>
      <td colSpan={columns} className={error ? 'error' : 'muted'} role={loading ? 'status' : undefined}>
        {text}
      </td>
    </tr>
  );
}

/** Esc leaves the form being edited. */
export function useEscape(active: boolean, onEscape: () => void) {
  useEffect(() => {
    if (!active) return;
    const listener = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onEscape();
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [active, onEscape]);
}

/**
 * The row being edited in an admin table, and a key that resets the form whenever editing starts
 * or stops; Escape stops. `onStop` clears whatever else the form keeps.
 */
export function useEditing<T>(onStop?: () => void) {
  const [editing, setEditing] = useState<T>();
  const [formKey, setFormKey] = useState(0);
  const stopEditing = useCallback(() => {
    setEditing(undefined);
    onStop?.();
    setFormKey((k) => k + 1);
  }, [onStop]);
  useEscape(editing !== undefined, stopEditing);
  const startEditing = (row: T) => {
    setEditing(row);
    setFormKey((k) => k + 1);
  };
  return { editing, formKey, startEditing, stopEditing };
}

export const formText = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
export const formNumber = (form: FormData, name: string) => Number(form.get(name));
