'use client';

import { useMutation } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useCallback, useEffect, useRef } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { useEditor, useEditorStore } from './context';

export const AUTOSAVE_DELAY_MS = 800;

export function isConflict(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'CONFLICT';
}

/**
 * Saves the draft a moment after the last change, naming the revision it was based on. When
 * someone else saved first the server answers CONFLICT and autosave stops until the designer
 * chooses (reload theirs or overwrite). Returns `flush`, which saves now and says whether
 * everything is saved.
 */
export function useAutosave(flowId: string): () => Promise<boolean> {
  const trpc = useTRPC();
  const store = useEditorStore();
  const { mutateAsync } = useMutation(trpc.flows.saveDraft.mutationOptions());
  const changeVersion = useEditor((s) => s.changeVersion);
  const savedChangeVersion = useEditor((s) => s.savedChangeVersion);
  const blocked = useEditor((s) => s.conflict || s.saving);
  const running = useRef<Promise<boolean> | null>(null);

  const saveOnce = useCallback(async (): Promise<boolean> => {
    const state = store.getState();
    if (state.conflict) return false;
    if (state.changeVersion === state.savedChangeVersion) return true;
    const version = state.changeVersion;
    state.markSaving();
    try {
      const saved = await mutateAsync({ id: flowId, document: state.document, expectedRevision: state.draftRevision });
      store.getState().markSaved(saved.draftRevision, version);
      return store.getState().changeVersion === version;
    } catch (error) {
      if (isConflict(error)) store.getState().markConflict();
      else store.getState().markSaveFailed(error instanceof Error ? error.message : String(error));
      return false;
    }
  }, [flowId, mutateAsync, store]);

  const flush = useCallback(async (): Promise<boolean> => {
    // One save at a time: a second caller waits for the running save, then saves what is left.
    while (running.current) await running.current;
    running.current = saveOnce();
    try {
      const done = await running.current;
      return done || (!store.getState().conflict && !store.getState().saveError && (await saveOnce()));
    } finally {
      running.current = null;
    }
  }, [saveOnce, store]);

  useEffect(() => {
    if (blocked || changeVersion === savedChangeVersion) return;
    const timer = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [changeVersion, savedChangeVersion, blocked, flush]);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      const s = store.getState();
      if (s.changeVersion !== s.savedChangeVersion) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [store]);

  return flush;
}
