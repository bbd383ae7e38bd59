'use client';

import Editor, { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor';
import { templateVariables } from '@/nodes/shared/template';

const LANGUAGE = 'switchboard-template';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

if (typeof window !== 'undefined' && !window.MonacoEnvironment) {
  window.MonacoEnvironment = {
    getWorker: () => new Worker(new URL('monaco-editor/editor/editor.worker.js', import.meta.url), { type: 'module' }),
  };
}
// The local copy from node_modules, not the loader's default CDN.
loader.config({ monaco });

let registered = false;

function registerLanguage() {
  const m = monaco;
  if (registered) return;
  registered = true;
  m.languages.register({ id: LANGUAGE });
  m.languages.setMonarchTokensProvider(LANGUAGE, {
    tokenizer: { root: [[/\{\{\s*[\w.]*\s*\}\}/, 'variable'], [/\{\{[^}]*/, 'variable.incomplete']] },
  });
  m.languages.setLanguageConfiguration(LANGUAGE, { autoClosingPairs: [{ open: '{', close: '}' }] });
  m.languages.registerCompletionItemProvider(LANGUAGE, {
    triggerCharacters: ['{', '.'],
    provideCompletionItems(model: monaco.editor.ITextModel, position: monaco.Position) {
      const before = model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
      const open = /\{\{\s*([\w.]*)$/.exec(before);
      if (!open) return { suggestions: [] };
      const typed = open[1]!; // the group is not optional: it takes part (possibly empty) whenever the pattern matches
      const after = model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: position.column, endLineNumber: position.lineNumber, endColumn: position.column + 2 });
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: position.column - typed.length, endColumn: position.column };
      return {
        suggestions: templateVariables.map((variable) => {
          const path = variable.path.replace('<name>', '');
          const closes = !path.endsWith('.') && !after.startsWith('}}');
          return {
            label: variable.path,
            kind: m.languages.CompletionItemKind.Variable,
            detail: variable.description,
            insertText: closes ? `${path}}}` : path,
            range,
          };
        }),
      };
    },
  });
}

export default function MonacoTemplate({ value, onChange, lines, ariaLabel }: { value: string; onChange(value: string): void; lines: number; ariaLabel: string }) {
  return (
    <Editor
      height={Math.max(lines, 2) * 20 + 12}
      language={LANGUAGE}
      value={value}
      beforeMount={registerLanguage}
      onChange={(next) => onChange(next ?? '')}
      options={{
        ariaLabel,
        minimap: { enabled: false },
        lineNumbers: 'off',
        glyphMargin: false,
        folding: false,
        wordWrap: 'on',
        scrollBeyondLastLine: false,
        renderLineHighlight: 'none',
        overviewRulerLanes: 0,
        fontSize: 13,
        padding: { top: 6, bottom: 6 },
        scrollbar: { vertical: 'auto', horizontal: 'hidden' },
        quickSuggestions: { other: true, comments: false, strings: true },
      }}
    />
  );
}
