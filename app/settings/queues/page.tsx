import { getTranslations } from 'next-intl/server';
import { QueuesAdmin } from '@/components/settings/routing/queues-admin';

export const dynamic = 'force-dynamic';

export default async function QueuesPage() {
  const t = await getTranslations('routingSettings.queues');
  return (
    <>
      <h1>{t('title')}</h1>
      <QueuesAdmin />
    </>
  );
}
