import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { BreakdownTable } from '@/components/performance/breakdowns';
import { KpiCards } from '@/components/performance/kpi-cards';
import { OverlayNodeView } from '@/components/performance/overlay-node';
import demoFlow from '@/examples/demo-ivr.flow.json';
import type { Kpi, KpiSettings } from '@/server/analytics/kpis';
import type { NodeFigures } from '@/server/analytics/queries';
import type { FlowDocument } from '@/workflows/document';

const settings: KpiSettings = {
  defaultServiceLevelSeconds: 20,
  serviceLevelTarget: 0.8,
  shortAbandonSeconds: 5,
  containmentRepeatHours: 48,
  containmentTarget: 0.3,
  fcrRepeatDays: 7,
  fcrTarget: 0.85,
  csatTarget: 4.5,
  csatSatisfiedAt: 4,
  abandonmentTarget: 0.05,
  answerSecondsTarget: 30,
};

const kpi = (id: Kpi['id'], unit: Kpi['unit'], numerator: number, denominator: number, target: number | null, better: Kpi['better'], status: Kpi['status']): Kpi => ({
  id,
  unit,
  numerator,
  denominator,
  value: unit === 'count' ? numerator : numerator / denominator,
  target,
  better,
  status,
});

const kpis: Kpi[] = [
  kpi('contacts', 'count', 1200, 1, null, null, 'none'),
  kpi('containment', 'rate', 420, 1200, 0.3, 'higher', 'good'),
  kpi('serviceLevel', 'rate', 540, 800, 0.8, 'higher', 'bad'),
  kpi('asa', 'seconds', 18_400, 760, 30, 'lower', 'good'),
  kpi('csat', 'score', 1290, 300, 4.5, 'higher', 'bad'),
  kpi('emotion', 'emotion', -12, 200, null, null, 'none'),
];

const document = demoFlow as FlowDocument;
const menu = document.nodes.find((node) => node.id === 'main-menu')!;
const figures = (dropOffs: number): NodeFigures => ({
  nodeId: menu.id,
  entries: 400,
  contacts: 380,
  dropOffs,
  errors: 2,
  p50Ms: 6300,
  p90Ms: 10_600,
  exits: { 'option-1': 200, 'option-2': 120, timeout: 20 },
});

/** The performance page's KPI cards (value, ratio, target, status, formula) and the canvas overlay's node. */
const meta = {
  title: 'Performance/KPI cards and overlay node',
  component: KpiCards,
  args: { kpis, settings },
} satisfies Meta<typeof KpiCards>;

export default meta;
type Story = StoryObj<typeof meta>;

export const KpiCardsWithTargets: Story = {
  play: async ({ canvasElement }) => {
    const page = within(canvasElement);
    const containment = page.getByTestId('kpi-containment');
    await expect(containment).toHaveTextContent('35.0 %');
    await expect(containment).toHaveTextContent('420 of 1,200');
    await expect(containment).toHaveTextContent('Target ≥ 30.0 %');
    await expect(containment).toHaveTextContent('On target');
    await expect(containment).toHaveAttribute('data-status', 'good');
    // The formula states the settings in force.
    await expect(page.getByTestId('kpi-formula-containment')).toHaveTextContent('within 48 h');
    await expect(page.getByTestId('kpi-formula-serviceLevel')).toHaveTextContent('(default 20 s)');
    await expect(page.getByTestId('kpi-formula-serviceLevel')).toHaveTextContent('within 5 s are left out');
    await expect(page.getByTestId('kpi-serviceLevel')).toHaveTextContent('Off target');
    await expect(page.getByTestId('kpi-asa')).toHaveTextContent('Target ≤ 0:30');
    await expect(page.getByTestId('kpi-csat')).toHaveTextContent('4.30');
    await expect(page.getByTestId('kpi-emotion')).toHaveTextContent('-0.06');
    await expect(page.queryByTestId('kpi-status-contacts')).toBeNull();
  },
};

export const OverlayNodeAmber: Story = {
  render: () => <OverlayNodeView node={menu} figures={figures(30)} interactive={false} />,
  play: async ({ canvasElement }) => {
    const node = within(canvasElement).getByTestId('overlay-node-main-menu');
    await expect(node).toHaveAttribute('data-tone', 'amber');
    await expect(within(node).getByTestId('overlay-entries-main-menu')).toHaveTextContent('400');
    await expect(node).toHaveTextContent('30 · 7.9 %');
    await expect(node).toHaveTextContent('6.3 s / 10.6 s');
  },
};

export const OverlayNodeRed: Story = {
  render: () => <OverlayNodeView node={menu} figures={figures(80)} interactive={false} />,
  play: async ({ canvasElement }) => {
    const node = within(canvasElement).getByTestId('overlay-node-main-menu');
    await expect(node).toHaveAttribute('data-tone', 'red');
    await expect(node).toHaveTextContent('80 · 21.1 %');
  },
};

export const OverlayNodeNotReached: Story = {
  render: () => <OverlayNodeView node={menu} figures={undefined} interactive={false} />,
  play: async ({ canvasElement }) => {
    const node = within(canvasElement).getByTestId('overlay-node-main-menu');
    await expect(node).toHaveAttribute('data-tone', 'idle');
    await expect(within(node).getByTestId('overlay-entries-main-menu')).toHaveTextContent('0');
  },
};

/** The tag breakdown is asked for apart from the cards: while it counts, its table says so. */
export const TagBreakdownCounting: Story = {
  render: () => <BreakdownTable title="By customer tag" rows={[]} label={(key) => key} testId="breakdown-tag" state={{ loading: true }} />,
  play: async ({ canvasElement }) => {
    const table = within(canvasElement).getByTestId('breakdown-tag');
    await expect(table).toHaveAttribute('aria-busy', 'true');
    await expect(within(table).getByRole('status')).toHaveTextContent('Loading…');
  },
};

export const TagBreakdownRows: Story = {
  render: () => <BreakdownTable title="By customer tag" rows={[{ key: 'vip', kpis }]} label={(key) => key} testId="breakdown-tag" state={{ loading: false }} />,
  play: async ({ canvasElement }) => {
    const table = within(canvasElement).getByTestId('breakdown-tag');
    await expect(within(table).getByRole('rowheader', { name: 'vip' })).toBeVisible();
    await expect(table).toHaveTextContent('1,200');
    await expect(within(table).queryByRole('status')).toBeNull();
  },
};
