import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { StatusView } from '@/components/status-view';

const meta = {
  title: 'System/StatusView',
  component: StatusView,
  args: {
    database: { ok: true, kind: 'pglite', location: '.data/pglite', serverVersion: '17.4' },
    temporal: { ok: true, address: '127.0.0.1:7233', namespace: 'default', serverVersion: '1.29.1', uiUrl: 'http://localhost:8233' },
    telephony: 'sandbox',
    checkedAt: new Date('2026-11-21T08:00:00Z'),
  },
} satisfies Meta<typeof StatusView>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Healthy: Story = {
  play: async ({ canvasElement }) => {
    const page = within(canvasElement);
    await expect(page.getByTestId('health-database')).toHaveTextContent('Healthy');
    await expect(page.getByTestId('health-database')).toHaveTextContent('pglite · .data/pglite · 17.4');
    await expect(page.getByTestId('health-temporal')).toHaveTextContent('127.0.0.1:7233 · default · 1.29.1');
    await expect(page.getByRole('link', { name: /Temporal/ })).toHaveAttribute('href', 'http://localhost:8233');
  },
};

export const TemporalDown: Story = {
  args: { temporal: { ok: false, address: '127.0.0.1:7233', namespace: 'default', error: 'connection refused' } },
  play: async ({ canvasElement }) => {
    const temporal = within(within(canvasElement).getByTestId('health-temporal'));
    await expect(temporal.getByText('Unavailable')).toBeVisible();
    await expect(temporal.getByText('connection refused')).toBeVisible();
  },
};
