import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { VerdictPanel } from '@/components/experiments/verdict-panel';
import type { Comparison, Reading } from '@/server/analytics/verdict';

const variants = [
  { id: 'a', name: 'A', version: 1 },
  { id: 'b', name: 'B', version: 2 },
];
const fairSplit = { chiSquare: 0.4, degreesOfFreedom: 1, pValue: 0.53, mismatch: false };

function comparison(difference: number, pValue: number): Comparison {
  const significant = pValue <= 0.05;
  return {
    variantId: 'b',
    metric: 'containment',
    control: { n: 400, conversions: 160 },
    arm: { n: 410, conversions: Math.round(410 * (0.4 + difference)) },
    difference,
    pValue,
    significant,
    better: significant && difference > 0,
    worse: significant && difference < 0,
  };
}

function reading(verdict: Reading['verdict'], primary: Comparison[] = [comparison(0.01, 0.6)], srm = fairSplit): Pick<Reading, 'verdict' | 'srm' | 'primary'> {
  return { verdict, srm, primary };
}

/** The verdict panel of an experiment's page, in each state the reading can be in. */
const meta = {
  title: 'Experiments/Verdict panel',
  component: VerdictPanel,
  args: { variants, metric: 'containment', reading: reading({ kind: 'no-difference' }) },
} satisfies Meta<typeof VerdictPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

const panel = (canvasElement: HTMLElement) => within(canvasElement).getByTestId('experiment-verdict');

export const SampleRatioMismatch: Story = {
  args: { reading: reading({ kind: 'srm' }, undefined, { chiSquare: 14.2, degreesOfFreedom: 1, pValue: 0.00016, mismatch: true }) },
  play: async ({ canvasElement }) => {
    await expect(panel(canvasElement)).toHaveTextContent('The split is off — results are not trusted.');
    await expect(panel(canvasElement)).toHaveTextContent('p < 0.001');
  },
};

export const NotEnoughData: Story = {
  args: { reading: reading({ kind: 'not-ready', moreContacts: 180, moreDays: 5 }) },
  play: async ({ canvasElement }) => {
    await expect(panel(canvasElement)).toHaveTextContent('Not enough data yet — need about 180 more contacts (about 5 days).');
    await expect(panel(canvasElement)).toHaveTextContent('safe to look every day');
  },
};

export const NotEnoughDataNoTraffic: Story = {
  args: { reading: reading({ kind: 'not-ready', moreContacts: 300, moreDays: Number.POSITIVE_INFINITY }) },
  play: async ({ canvasElement }) => {
    await expect(panel(canvasElement)).toHaveTextContent('Not enough data yet — need about 300 more contacts (too early to say how many days).');
  },
};

export const Winner: Story = {
  args: { reading: reading({ kind: 'winner', variantId: 'b' }, [comparison(0.062, 0.004)]) },
  play: async ({ canvasElement }) => {
    await expect(panel(canvasElement)).toHaveTextContent('Variant B (version 2) wins.');
    await expect(panel(canvasElement)).toHaveTextContent('Containment: +6.2 pp against A (p = 0.004)');
  },
};

export const ControlWins: Story = {
  args: { reading: reading({ kind: 'control-wins', variantId: 'a' }, [comparison(-0.08, 0.001)]) },
  play: async ({ canvasElement }) => {
    await expect(panel(canvasElement)).toHaveTextContent('The control A (version 1) wins.');
    await expect(panel(canvasElement)).toHaveTextContent('Every variant is significantly worse on Containment.');
  },
};

export const NoDifference: Story = {
  play: async ({ canvasElement }) => {
    await expect(panel(canvasElement)).toHaveTextContent('No difference yet.');
    await expect(within(canvasElement).getByRole('heading')).toHaveTextContent('Verdict');
  },
};

export const FinishedWinner: Story = {
  args: { finished: true, reading: reading({ kind: 'winner', variantId: 'b' }, [comparison(0.05, 0.01)]) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('heading')).toHaveTextContent('Final verdict');
    await expect(panel(canvasElement)).toHaveTextContent('Variant B (version 2) wins.');
  },
};
