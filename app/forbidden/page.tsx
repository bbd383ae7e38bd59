import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { pageViewer } from '@/server/auth/page-viewer';

export const dynamic = 'force-dynamic';

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  const t = await getTranslations();
  const [{ from }, viewer] = await Promise.all([searchParams, pageViewer()]);
  return (
    <>
      <h1>{t('forbidden.title')}</h1>
      <p data-testid="forbidden">{t('forbidden.body', { page: from ?? '', role: viewer ? t(`roles.${viewer.role}`) : '' })}</p>
      <Link href="/">{t('forbidden.home')}</Link>
    </>
  );
}
