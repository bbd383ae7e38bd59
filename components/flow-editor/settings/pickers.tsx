'use client';

import { createContext, useContext } from 'react';

export interface PickerOptions {
  tags: { name: string; description?: string }[];
  skills: { id: string; name: string }[];
}

/** Tags and skills from the database (the editor fills it through tRPC; stories pass fixtures). */
export const PickerContext = createContext<PickerOptions>({ tags: [], skills: [] });

/** False in Storybook and tests: template fields are plain text areas instead of monaco. */
export const RichEditorsContext = createContext(true);

export function usePickers(): PickerOptions {
  return useContext(PickerContext);
}
