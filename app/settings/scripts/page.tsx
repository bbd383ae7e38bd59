import { getTranslations } from 'next-intl/server';
import { ScriptsAdmin } from '@/components/settings/routing/scripts-admin';

export const dynamic = 'force-dynamic';

export default async function ScriptsPage() {
  const t = await getTranslations('routingSettings.scripts');
  return (
    <>
      <h1>{t('title')}</h1>
      <ScriptsAdmin />
    </>
  );
}
