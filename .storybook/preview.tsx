import type { Preview } from '@storybook/react-vite';
import { NextIntlClientProvider } from 'next-intl';
import en from '../messages/en.json';
import '../app/globals.css';

const preview: Preview = {
  decorators: [
    (Story) => (
      <NextIntlClientProvider locale="en" messages={en} timeZone="UTC">
        <Story />
      </NextIntlClientProvider>
    ),
  ],
};

export default preview;
