import type { Meta, StoryObj } from '@storybook/react-vite';
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

export const Healthy: Story = {};

export const TemporalDown: Story = {
  args: { temporal: { ok: false, address: '127.0.0.1:7233', namespace: 'default', error: 'connection refused' } },
};
