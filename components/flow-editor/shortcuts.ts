/** Editor keyboard shortcuts: one table for the handler and the cheat sheet (press ?). */
export const SHORTCUTS = [
  { action: 'undo', keys: ['Mod+Z'] },
  { action: 'redo', keys: ['Mod+Shift+Z', 'Mod+Y'] },
  { action: 'copy', keys: ['Mod+C'] },
  { action: 'cut', keys: ['Mod+X'] },
  { action: 'paste', keys: ['Mod+V'] },
  { action: 'duplicate', keys: ['Mod+D'] },
  { action: 'selectAll', keys: ['Mod+A'] },
  { action: 'delete', keys: ['Delete', 'Backspace'] },
  { action: 'save', keys: ['Mod+S'] },
  { action: 'fitView', keys: ['Shift+1'] },
  { action: 'layout', keys: ['Shift+L'] },
  { action: 'problems', keys: ['Shift+P'] },
  { action: 'publish', keys: ['Mod+Shift+P'] },
  { action: 'escape', keys: ['Escape'] },
  { action: 'shortcuts', keys: ['?'] },
] as const;

export type ShortcutAction = (typeof SHORTCUTS)[number]['action'];

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

function chordOf(event: KeyLike): string {
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('Mod');
  // '?' is Shift+/ on most layouts: the character already says it.
  if (event.shiftKey && event.key !== '?') parts.push('Shift');
  if (event.altKey) parts.push('Alt');
  let key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  if (event.shiftKey && event.code?.startsWith('Digit')) key = event.code.slice(5);
  parts.push(key);
  return parts.join('+');
}

export function matchShortcut(event: KeyLike): ShortcutAction | undefined {
  const chord = chordOf(event);
  return SHORTCUTS.find((s) => (s.keys as readonly string[]).includes(chord))?.action;
}

/** Keys typed into a field belong to the field, not to the canvas. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  return element.isContentEditable || element.closest('input, textarea, select, [contenteditable="true"], .monaco-editor, [role="dialog"] form') !== null;
}

/** How a chord is shown on this platform. */
export function displayKeys(keys: string, mac: boolean): string {
  return keys.replace('Mod', mac ? '⌘' : 'Ctrl');
}
