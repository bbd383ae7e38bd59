import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';
import { publicUrlSchema } from './env-schema';
import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from './security-headers';

const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

// The app is opened as localhost, 127.0.0.1 or through the tunnel PUBLIC_BASE_URL names (how
// Twilio webhooks are tested locally); Next.js dev refuses its own resources to any other host,
// and the page would never hydrate. (Not `env`: `next build` loads this file without the secrets
// a production server needs.)
const publicHost = new URL(publicUrlSchema.parse(process.env));

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
  allowedDevOrigins: ['127.0.0.1', publicHost.hostname],
  // A tunnel may forward its own Host header; server actions posted from the public address count as same-origin.
  experimental: { serverActions: { allowedOrigins: [publicHost.host] } },
  // Dev prints server action arguments verbatim: a credential passed as a plain argument would be logged.
  logging: { serverFunctions: false },
  // Fixed headers for every response; proxy.ts adds the pages' nonce-based policy and HSTS at run time.
  async headers() {
    return [
      { source: '/:path*', headers: COMMON_SECURITY_HEADERS },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default withNextIntl(config);
