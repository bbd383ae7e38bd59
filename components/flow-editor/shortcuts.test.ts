import { describe, expect, it } from 'vitest';
import { displayKeys, matchShortcut, SHORTCUTS } from './shortcuts';

const key = (k: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; code: string }> = {}) => ({
  key: k,
  code: mods.code,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: false,
});

describe('shortcuts', () => {
  it('match with Ctrl or Cmd', () => {
    expect(matchShortcut(key('z', { ctrl: true }))).toBe('undo');
    expect(matchShortcut(key('z', { meta: true }))).toBe('undo');
    expect(matchShortcut(key('Z', { meta: true, shift: true }))).toBe('redo');
    expect(matchShortcut(key('y', { ctrl: true }))).toBe('redo');
    expect(matchShortcut(key('v', { ctrl: true }))).toBe('paste');
  });

  it('match plain keys, ? and shifted digits', () => {
    expect(matchShortcut(key('Delete'))).toBe('delete');
    expect(matchShortcut(key('Backspace'))).toBe('delete');
    expect(matchShortcut(key('?', { shift: true }))).toBe('shortcuts');
    expect(matchShortcut(key('!', { shift: true, code: 'Digit1' }))).toBe('fitView');
    expect(matchShortcut(key('z'))).toBeUndefined();
  });

  it('list each action once and show the platform modifier', () => {
    expect(new Set(SHORTCUTS.map((s) => s.action)).size).toBe(SHORTCUTS.length);
    expect(displayKeys('Mod+Shift+Z', true)).toBe('⌘+Shift+Z');
    expect(displayKeys('Mod+Z', false)).toBe('Ctrl+Z');
  });
});
