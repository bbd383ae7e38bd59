import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Nav } from '@/components/nav';
import { TrpcProvider } from '@/components/trpc-provider';
import { pageViewer } from '@/server/auth/page-viewer';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('app');
  return { title: t('name'), description: t('tagline') };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, viewer] = await Promise.all([getLocale(), pageViewer()]);
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider>
          <TrpcProvider>
            <div className="shell">
              <Nav viewer={viewer} />
              <main>{children}</main>
            </div>
          </TrpcProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
