import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Nav } from '@/components/nav';
import { TrpcProvider } from '@/components/trpc-provider';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('app');
  return { title: t('name'), description: t('tagline') };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider>
          <TrpcProvider>
            <div className="shell">
              <Nav />
              <main>{children}</main>
            </div>
          </TrpcProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
