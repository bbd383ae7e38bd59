'use client';

import '@xyflow/react/dist/style.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { getDefinition } from '@/nodes/registry';
import type { FlowDocument } from '@/workflows/document';
import { FlowCanvas } from './canvas';
import { EditorStoreContext, useEditor, useEditorStore } from './context';
import { layoutFlow, type Size } from './layout';
import { Modal } from './modal';
import { Palette } from './palette';
import { ProblemsDrawer } from './problems-panel';
import { TestRunButton } from '@/components/simulator/test-run-button';
import { PublishDialog } from './publish-dialog';
import { portsOf } from './registry-view';
import { PickerContext, type PickerOptions } from './settings/pickers';
import { SettingsPanel } from './settings-panel';
import { isTypingTarget, matchShortcut, type ShortcutAction } from './shortcuts';
import { ShortcutsDialog } from './shortcuts-dialog';
import { createEditorStore, type EditorStore, saveStatusOf } from './store';
import { useAutosave } from './use-autosave';
import { useDiagnostics } from './use-diagnostics';
import { VersionsPanel } from './versions-panel';

const NO_PICKERS: PickerOptions = { tags: [], skills: [] };

export interface EditorFlow {
  id: string;
  draft: FlowDocument;
  draftRevision: number;
  liveVersion: number | null;
  numbers: { number: string; channel: 'voice' | 'sms' }[];
}

/** `/flows/[id]`: loads the flow and opens the editor on its draft. */
export function FlowEditorPage({ flowId }: { flowId: string }) {
  const t = useTranslations('editor');
  const trpc = useTRPC();
  const flow = useQuery({ ...trpc.flows.get.queryOptions({ id: flowId }), staleTime: Infinity, refetchOnWindowFocus: false });
  if (flow.isPending) return <p className="muted editor-loading">{t('loading')}</p>;
  if (flow.error) {
    return (
      <div className="editor-loading">
        <p className="error" role="alert">
          {flow.error.message}
        </p>
        <Link href="/flows">{t('backToFlows')}</Link>
      </div>
    );
  }
  return <FlowEditor key={flowId} flow={flow.data} />;
}

export function FlowEditor({ flow }: { flow: EditorFlow }) {
  const trpc = useTRPC();
  const [store] = useState(() => createEditorStore({ document: flow.draft, draftRevision: flow.draftRevision }));
  const pickers = useQuery(trpc.flows.pickers.queryOptions());
  return (
    <EditorStoreContext.Provider value={store}>
      <PickerContext.Provider value={pickers.data ?? NO_PICKERS}>
        <ReactFlowProvider>
          <EditorShell flow={flow} />
        </ReactFlowProvider>
      </PickerContext.Provider>
    </EditorStoreContext.Provider>
  );
}

function download(document: FlowDocument) {
  const blob = new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = window.document.createElement('a');
  link.href = url;
  link.download = `${document.name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase() || 'flow'}.flow.json`;
  link.click();
  URL.revokeObjectURL(url);
}

async function autoLayout(store: EditorStore, sizes: Map<string, Size>) {
  const { document } = store.getState();
  const ports = (id: string) => {
    const node = document.nodes.find((n) => n.id === id);
    const definition = node && getDefinition(node.type, node.typeVersion);
    return node && definition ? portsOf(definition, node.config).map((p) => p.id) : [];
  };
  store.getState().arrangeNodes(await layoutFlow(document, sizes, ports));
}

/** How often an open editor checks whether the draft was saved elsewhere. */
const DRAFT_WATCH_MS = 4000;

function EditorShell({ flow }: { flow: EditorFlow }) {
  const t = useTranslations('editor');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const store = useEditorStore();
  const reactFlow = useReactFlow();
  const flush = useAutosave(flow.id);
  const sidePanel = useEditor((s) => s.sidePanel);
  const dialog = useEditor((s) => s.dialog);
  const problemsOpen = useEditor((s) => s.problemsOpen);
  const conflict = useEditor((s) => s.conflict);
  const [notice, setNotice] = useState<string | null>(null);
  const [importProblems, setImportProblems] = useState<{ path: string; message: string }[] | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const importFlow = useMutation(trpc.flows.import.mutationOptions());
  const live = useQuery({ ...trpc.flows.get.queryOptions({ id: flow.id }), staleTime: Infinity, refetchOnWindowFocus: false });
  const liveVersion = live.data?.liveVersion ?? flow.liveVersion;
  const numbers = live.data?.numbers ?? flow.numbers;

  const reloadFromServer = useCallback(async () => {
    const latest = await queryClient.fetchQuery({ ...trpc.flows.get.queryOptions({ id: flow.id }), staleTime: 0 });
    store.getState().loadDocument(latest.draft);
    store.getState().markLoaded(latest.draftRevision);
  }, [queryClient, trpc, flow.id, store]);

  // Another tab or person saved this flow: take their draft when this tab has nothing unsaved,
  // otherwise raise the conflict now rather than at this tab's next save.
  useEffect(() => {
    const check = async () => {
      const before = store.getState();
      if (before.conflict || before.saving) return;
      const latest = await queryClient.fetchQuery({ ...trpc.flows.get.queryOptions({ id: flow.id }), staleTime: 0 });
      const now = store.getState();
      if (now.conflict || now.saving || latest.draftRevision <= now.draftRevision) return;
      if (now.changeVersion !== now.savedChangeVersion) return now.markConflict();
      now.loadDocument(latest.draft);
      now.markLoaded(latest.draftRevision);
      setNotice(t('changedElsewhere'));
    };
    const run = () => void check().catch(() => undefined);
    const timer = setInterval(run, DRAFT_WATCH_MS);
    window.addEventListener('focus', run);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', run);
    };
  }, [queryClient, trpc, flow.id, store, t]);

  const keepMine = useCallback(async () => {
    const latest = await queryClient.fetchQuery({ ...trpc.flows.get.queryOptions({ id: flow.id }), staleTime: 0 });
    const s = store.getState();
    // Based on their revision now, so the next save replaces it with this tab's document.
    store.setState({ draftRevision: latest.draftRevision, conflict: false, savedChangeVersion: s.changeVersion - 1 });
    await flush();
  }, [queryClient, trpc, flow.id, store, flush]);

  const fitView = useCallback(() => void reactFlow.fitView({ padding: 0.2, duration: 300, maxZoom: 1 }), [reactFlow]);

  const runLayout = useCallback(async () => {
    const sizes = new Map<string, Size>();
    for (const node of reactFlow.getNodes()) if (node.measured?.width && node.measured.height) sizes.set(node.id, { width: node.measured.width, height: node.measured.height });
    await autoLayout(store, sizes);
    requestAnimationFrame(fitView);
  }, [reactFlow, store, fitView]);

  const onImportFile = async (file: File) => {
    const json = await file.text();
    const result = await importFlow.mutateAsync({ id: flow.id, json, expectedRevision: store.getState().draftRevision }).catch((error: unknown) => {
      setNotice(error instanceof Error ? error.message : String(error));
      return null;
    });
    if (!result) return;
    if (!result.ok) {
      setImportProblems(result.problems);
      return;
    }
    store.getState().loadDocument(result.document);
    store.getState().markLoaded(result.draftRevision);
    setNotice(t('imported'));
    requestAnimationFrame(fitView);
  };

  const run = useCallback(
    (action: ShortcutAction) => {
      const s = store.getState();
      switch (action) {
        case 'undo':
          return s.undo();
        case 'redo':
          return s.redo();
        case 'copy':
          return void s.copySelection();
        case 'cut':
          return s.cutSelection();
        case 'paste':
          return void s.paste();
        case 'duplicate':
          return void s.duplicateSelection();
        case 'selectAll':
          return s.selectAll();
        case 'delete':
          return s.deleteSelection();
        case 'save':
          return void flush();
        case 'fitView':
          return fitView();
        case 'layout':
          return void runLayout();
        case 'problems':
          return s.setProblemsOpen(!s.problemsOpen);
        case 'publish':
          return s.openDialog('publish');
        case 'escape':
          if (s.dialog) return s.closeDialog();
          return s.clearSelection();
        case 'shortcuts':
          return s.openDialog('shortcuts');
        default: {
          const never: never = action;
          return never;
        }
      }
    },
    [store, flush, fitView, runLayout],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = matchShortcut(event);
      if (!action) return;
      // Typing in a field keeps its own keys; saving works everywhere.
      if (action !== 'save' && isTypingTarget(event.target)) return;
      if (store.getState().dialog && action !== 'escape') return;
      event.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run, store]);

  return (
    <div className="editor" data-testid="flow-editor">
      <Toolbar
        flowId={flow.id}
        flush={flush}
        liveVersion={liveVersion}
        numbers={numbers}
        onUndo={() => run('undo')}
        onRedo={() => run('redo')}
        onLayout={() => void runLayout()}
        onFit={fitView}
        onImport={() => fileInput.current?.click()}
        onExport={() => download(store.getState().document)}
      />
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="import-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void onImportFile(file);
        }}
      />
      {conflict && (
        <div className="conflict-banner" role="alert" data-testid="conflict-banner">
          <span>{t('conflict')}</span>
          <button type="button" onClick={() => void reloadFromServer()} data-testid="conflict-reload">
            {t('conflictReload')}
          </button>
          <button type="button" onClick={() => void keepMine()} data-testid="conflict-overwrite">
            {t('conflictOverwrite')}
          </button>
        </div>
      )}
      {notice && (
        <div className="notice" role="status" data-testid="notice">
          {notice}
          <button type="button" className="icon" aria-label={t('close')} onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      <div className="editor-body">
        <Palette />
        <div className="editor-main">
          <FlowCanvas />
          {problemsOpen && <ProblemsDrawer />}
        </div>
        {sidePanel && (
          <aside className="side-panel" data-testid={`panel-${sidePanel}`}>
            <div className="tabs" role="tablist">
              {(['settings', 'versions'] as const).map((panel) => (
                <button type="button" role="tab" key={panel} aria-selected={sidePanel === panel} onClick={() => store.getState().openPanel(panel)} data-testid={`tab-${panel}`}>
                  {t(`panel.${panel}`)}
                </button>
              ))}
              <button type="button" className="icon" aria-label={t('close')} onClick={() => store.getState().closePanel()}>
                ×
              </button>
            </div>
            {sidePanel === 'settings' ? <SettingsPanel /> : <VersionsPanel flowId={flow.id} onRolledBack={reloadFromServer} />}
          </aside>
        )}
      </div>
      {dialog === 'publish' && (
        <PublishDialog
          flowId={flow.id}
          flush={flush}
          onClose={() => store.getState().closeDialog()}
          onPublished={(version) => {
            store.getState().closeDialog();
            setNotice(t('published', { version }));
          }}
        />
      )}
      {dialog === 'shortcuts' && <ShortcutsDialog onClose={() => store.getState().closeDialog()} />}
      {importProblems && (
        <Modal title={t('importFailed')} onClose={() => setImportProblems(null)} testId="import-problems">
          <p>{t('importFailedHelp')}</p>
          <ul className="problems">
            {importProblems.map((p, index) => (
              <li key={index} className="error">
                {p.path && <code>{p.path}</code>} {p.message}
              </li>
            ))}
          </ul>
        </Modal>
      )}
    </div>
  );
}

function Toolbar(props: {
  flowId: string;
  flush(): Promise<boolean>;
  liveVersion: number | null;
  numbers: { number: string; channel: string }[];
  onUndo(): void;
  onRedo(): void;
  onLayout(): void;
  onFit(): void;
  onImport(): void;
  onExport(): void;
}) {
  const t = useTranslations('editor');
  const tExecutions = useTranslations('executions');
  const tPerformance = useTranslations('performance');
  const store = useEditorStore();
  const name = useEditor((s) => s.document.name);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const status = useEditor(saveStatusOf);
  const sidePanel = useEditor((s) => s.sidePanel);
  const diagnostics = useDiagnostics();
  const [title, setTitle] = useState(name);
  const [editedName, setEditedName] = useState(name);
  if (name !== editedName) {
    setEditedName(name);
    setTitle(name);
  }
  return (
    <header className="editor-toolbar">
      <Link href="/flows" className="back" aria-label={t('backToFlows')}>
        ←
      </Link>
      <input
        className="flow-name"
        aria-label={t('flowName')}
        data-testid="flow-name"
        value={title}
        onChange={(e) => {
          setTitle(e.target.value);
          if (e.target.value.trim()) store.getState().setFlowName(e.target.value.trim());
        }}
      />
      <span className={`save-status ${status}`} data-testid="save-status" data-status={status} role="status">
        {t(`save.${status}`)}
      </span>
      <span className="live-status muted" data-testid="live-status">
        {props.liveVersion === null ? t('notPublished') : t('liveVersion', { version: props.liveVersion })}
        {props.numbers.length > 0 && ` · ${props.numbers.map((n) => n.number).join(', ')}`}
      </span>
      <div className="spacer" />
      <Link href={`/flows/${props.flowId}/executions`} className="button" data-testid="executions-link">
        {tExecutions('title')}
      </Link>
      <Link href={`/flows/${props.flowId}/performance`} className="button" data-testid="performance-link">
        {tPerformance('title')}
      </Link>
      <TestRunButton flowId={props.flowId} beforeOpen={props.flush} />
      <button type="button" onClick={props.onUndo} disabled={!canUndo} title={t('shortcut.undo')} data-testid="undo">
        ↶
      </button>
      <button type="button" onClick={props.onRedo} disabled={!canRedo} title={t('shortcut.redo')} data-testid="redo">
        ↷
      </button>
      <button type="button" onClick={props.onLayout} data-testid="auto-layout">
        {t('autoLayout')}
      </button>
      <button type="button" onClick={props.onFit} data-testid="fit-view">
        {t('fitView')}
      </button>
      <button type="button" onClick={props.onImport} data-testid="import">
        {t('import')}
      </button>
      <button type="button" onClick={props.onExport} data-testid="export">
        {t('export')}
      </button>
      <button
        type="button"
        className={`problems-toggle ${diagnostics.errors > 0 ? 'has-errors' : ''}`}
        onClick={() => store.getState().setProblemsOpen(!store.getState().problemsOpen)}
        data-testid="problems-toggle"
        data-errors={diagnostics.errors}
      >
        {t('problemsCount', { errors: diagnostics.errors, warnings: diagnostics.warnings })}
      </button>
      <button type="button" aria-pressed={sidePanel === 'versions'} onClick={() => store.getState().togglePanel('versions')} data-testid="versions-toggle">
        {t('panel.versions')}
      </button>
      <button type="button" onClick={() => store.getState().openDialog('shortcuts')} aria-label={t('shortcutsTitle')} title={t('shortcutsTitle')}>
        ?
      </button>
      <button type="button" className="primary" onClick={() => store.getState().openDialog('publish')} data-testid="publish">
        {t('publish')}
      </button>
    </header>
  );
}
