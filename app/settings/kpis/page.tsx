import { getTranslations } from 'next-intl/server';
import { KpiSettingsForm } from '@/components/performance/kpi-settings-form';

export const dynamic = 'force-dynamic';

export default async function KpiSettingsPage() {
  const t = await getTranslations('performance.settings');
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <KpiSettingsForm />
    </>
  );
}
