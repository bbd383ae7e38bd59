import { getTranslations } from 'next-intl/server';
import { QaHits, QaRulesAdmin } from '@/components/settings/routing/qa-admin';
import { pageViewer } from '@/server/auth/page-viewer';
import { can } from '@/server/auth/permissions';

export const dynamic = 'force-dynamic';

/** Admins manage the rules; supervisors (managers and admins) read what they caught. */
export default async function QaPage() {
  const [t, viewer] = await Promise.all([getTranslations('routingSettings.qa'), pageViewer()]);
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      {can(viewer?.role, 'settings.manage') && <QaRulesAdmin />}
      {can(viewer?.role, 'routing.supervise') && <QaHits />}
    </>
  );
}
