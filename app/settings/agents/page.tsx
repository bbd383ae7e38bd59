import { getTranslations } from 'next-intl/server';
import { AgentsAdmin } from '@/components/settings/routing/agents-admin';

export const dynamic = 'force-dynamic';

export default async function AgentsPage() {
  const t = await getTranslations('routingSettings.agents');
  return (
    <>
      <h1>{t('title')}</h1>
      <AgentsAdmin />
    </>
  );
}
