import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.tsx'],
  framework: { name: '@storybook/react-vite', options: {} },
  viteFinal: async (viteConfig) => {
    const { fileURLToPath } = await import('node:url');
    viteConfig.resolve = viteConfig.resolve ?? {};
    viteConfig.resolve.alias = { ...(viteConfig.resolve.alias as Record<string, string>), '@': fileURLToPath(new URL('..', import.meta.url)) };
    return viteConfig;
  },
};

export default config;
