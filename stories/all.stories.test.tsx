import { composeStories } from '@storybook/react-vite';
import { cleanup, render } from '@testing-library/react';
import type { FC } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import * as preview from '../.storybook/preview';

// Every story file, rendered through the real Storybook preview (portable stories).
const modules = import.meta.glob<Record<string, unknown>>('./**/*.stories.tsx', { eager: true });

afterEach(cleanup);

describe.each(Object.entries(modules))('%s', (_file, module) => {
  const stories = Object.entries(composeStories(module as never, preview as never)) as [string, FC][];
  it.each(stories)('%s renders', async (_name, Story) => {
    const { container } = render(<Story />);
    expect(container.textContent?.length ?? 0).toBeGreaterThan(0);
  });
});

describe('StatusView stories', () => {
  it('show the failure text when Temporal is down', async () => {
    const { TemporalDown } = composeStories(await import('./status-view.stories'), preview as never);
    const { getByText } = render(<TemporalDown />);
    expect(getByText('connection refused')).toBeTruthy();
    expect(getByText('Unavailable')).toBeTruthy();
  });
});
