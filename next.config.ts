import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

const config: NextConfig = {
  // Native and Node-heavy packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    '@temporalio/client',
    '@temporalio/worker',
    '@temporalio/testing',
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    'postgres',
    'twilio',
  ],
  typedRoutes: false,
};

export default withNextIntl(config);
