import type { Meta, StoryObj } from '@storybook/react-vite';
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
v2.nodes[1].config = { ...v2.nodes[1].config, text: 'Welcome back, {{customer.firstName}}!' };
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
};

export const Problems: Story = {
  render: () => <ProblemsList diagnostics={validateFlow(v2, nodeCatalog)} onPick={() => undefined} />,
};

export const NoProblems: Story = {
  render: () => <ProblemsList diagnostics={[]} onPick={() => undefined} />,
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
};

export const Shortcuts: Story = { render: () => <ShortcutsList /> };
