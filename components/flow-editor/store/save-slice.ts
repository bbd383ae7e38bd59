import type { GetState, SetState } from './types';

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error';

export interface SaveSlice {
  /** The server's draft revision this editor's document is based on. */
  draftRevision: number;
  /** The `changeVersion` last written to the server. */
  savedChangeVersion: number;
  saving: boolean;
  /** Set when another tab or person saved first; autosave stops until the designer chooses. */
  conflict: boolean;
  saveError: string | null;
  markSaving(): void;
  markSaved(draftRevision: number, changeVersion: number): void;
  markConflict(): void;
  markSaveFailed(message: string): void;
  /** After loading the server's draft (first open, reload after a conflict, rollback, import). */
  markLoaded(draftRevision: number): void;
}

export function saveStatusOf(s: Pick<SaveSlice, 'saving' | 'conflict' | 'saveError' | 'savedChangeVersion'> & { changeVersion: number }): SaveStatus {
  if (s.conflict) return 'conflict';
  if (s.saving) return 'saving';
  if (s.saveError) return 'error';
  return s.changeVersion === s.savedChangeVersion ? 'saved' : 'unsaved';
}

export function createSaveSlice(set: SetState, get: GetState, draftRevision: number): SaveSlice {
  return {
    draftRevision,
    savedChangeVersion: 0,
    saving: false,
    conflict: false,
    saveError: null,
    markSaving() {
      set({ saving: true });
    },
    markSaved(revision, changeVersion) {
      set({ draftRevision: revision, savedChangeVersion: changeVersion, saving: false, saveError: null });
    },
    markConflict() {
      set({ conflict: true, saving: false });
    },
    markSaveFailed(message) {
      set({ saving: false, saveError: message });
    },
    markLoaded(revision) {
      set({ draftRevision: revision, savedChangeVersion: get().changeVersion, saving: false, conflict: false, saveError: null });
    },
  };
}
