import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { DiffView } from '@/components/flow-editor/diff-view';
import { ProblemsList } from '@/components/flow-editor/problems-panel';
import { ShortcutsList } from '@/components/flow-editor/shortcuts-dialog';
import { VersionList } from '@/components/flow-editor/versions-panel';
import demo from '@/examples/demo-ivr.flow.json';
import { nodeCatalog } from '@/nodes/registry';
import { validateFlow } from '@/workflows/compile';
import { diffFlows } from '@/workflows/diff';
import { type FlowDocument, flowDocumentSchema } from '@/workflows/document';
import { EditorFixtures } from './flow-editor-fixtures';

const v1 = flowDocumentSchema.parse(demo);
const v2: FlowDocument = structuredClone(v1);
v2.nodes = v2.nodes.filter((n) => n.id !== 'goodbye');
v2.nodes[1]!.config = { ...v2.nodes[1]!.config, text: 'Welcome back, {{customer.firstName}}!' };
v2.nodes.push({ id: 'survey', type: 'send-sms', typeVersion: 1, position: { x: 700, y: 240 }, config: { to: 'caller', body: 'How did we do?' } });
v2.edges = v2.edges.map((e) => (e.target === 'goodbye' ? { ...e, target: 'survey' } : e));

const meta = {
  title: 'Flow editor/Panels',
  decorators: [(Story) => <EditorFixtures>{Story()}</EditorFixtures>],
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

export const Diff: Story = {
  render: () => <DiffView before={v1} after={v2} diff={diffFlows(v1, v2)} fromLabel="Version 1" toLabel="Version 2" canvas={false} />,
  play: async ({ canvasElement }) => {
    const diff = within(canvasElement);
    await expect(diff.getByTestId('diff-added')).toHaveTextContent('survey');
    await expect(diff.getByTestId('diff-removed')).toHaveTextContent('goodbye');
    await expect(diff.getByTestId('diff-changed')).toHaveTextContent('config.text');
  },
};

export const Problems: Story = {
  render: () => <ProblemsList diagnostics={validateFlow(v2, nodeCatalog)} onPick={() => undefined} />,
  play: async ({ canvasElement }) => {
    const problems = within(canvasElement).getAllByTestId('problem');
    await expect(problems.map((problem) => problem.getAttribute('data-code'))).toEqual(validateFlow(v2, nodeCatalog).map((d) => d.code));
    await expect(problems.length).toBeGreaterThan(0);
  },
};

export const NoProblems: Story = {
  render: () => <ProblemsList diagnostics={[]} onPick={() => undefined} />,
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('no-problems')).toBeVisible();
    await expect(within(canvasElement).queryAllByTestId('problem')).toHaveLength(0);
  },
};

export const Versions: Story = {
  render: () => (
    <VersionList
      versions={[
        { id: 'b', version: 2, message: 'Survey after the call', publishedBy: 'u1', authorName: 'Dana Park', publishedAt: new Date('2026-11-21T09:30:00Z'), live: true },
        { id: 'a', version: 1, message: 'Demo IVR', publishedBy: 'u1', authorName: 'Dana Park', publishedAt: new Date('2026-11-20T08:00:00Z'), live: false },
      ]}
      onCompare={() => undefined}
      onRollback={() => undefined}
    />
  ),
  play: async ({ canvasElement }) => {
    const list = within(canvasElement);
    await expect(list.getByTestId('version-2')).toHaveTextContent('Survey after the call');
    await expect(list.getByTestId('version-1')).toHaveTextContent('Demo IVR');
    // Only a version that is not live can be rolled back to.
    await expect(list.getByTestId('rollback-1')).toBeVisible();
    await expect(list.queryByTestId('rollback-2')).toBeNull();
  },
};

export const Shortcuts: Story = {
  render: () => <ShortcutsList />,
  play: async ({ canvasElement }) => {
    const rows = within(within(canvasElement).getByTestId('shortcuts')).getAllByRole('row');
    await expect(rows.length).toBeGreaterThan(5);
    await expect(within(canvasElement).getByTestId('shortcuts')).toHaveTextContent('Undo');
  },
};
