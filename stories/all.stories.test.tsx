import { composeStories } from '@storybook/react-vite';
import { cleanup } from '@testing-library/react';
import type { FC } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import * as preview from '../.storybook/preview';

// Every story file, rendered through the real Storybook preview (portable stories).
const modules = import.meta.glob<Record<string, unknown>>('./**/*.stories.tsx', { eager: true });

afterEach(cleanup);

type Composed = FC & { play?: unknown; run(): Promise<void> };

// Each story says what it shows in its `play` function; a story without one fails here.
describe.each(Object.entries(modules))('%s', (_file, module) => {
  const stories = Object.entries(composeStories(module as never, preview as never)) as [string, Composed][];
  it.each(stories)('%s shows what it is about', async (_name, Story) => {
    expect(Story.play, 'the story needs a play function that asserts what it shows').toBeTypeOf('function');
    await Story.run();
  });
});
