import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { pageViewer } from '@/server/auth/page-viewer';
import { mayOpen, ROUTING_SETTINGS_SECTIONS, SETTINGS_SECTIONS } from '@/server/auth/routes';

export const dynamic = 'force-dynamic';

export default async function SettingsPage() {
  const [t, tr, viewer] = await Promise.all([getTranslations('settings'), getTranslations('routingSettings'), pageViewer()]);
  const sections = SETTINGS_SECTIONS.filter((s) => mayOpen(viewer?.role, `/settings/${s}`));
  const routing = ROUTING_SETTINGS_SECTIONS.filter((s) => mayOpen(viewer?.role, `/settings/${s}`));
  const kpis = mayOpen(viewer?.role, '/settings/kpis');
  return (
    <>
      <h1>{t('title')}</h1>
      <div className="cards">
        {sections.map((section) => (
          <Link key={section} href={`/settings/${section}`} className="card">
            <h2>{t(`sections.${section}.title`)}</h2>
            <div className="muted">{t(`sections.${section}.description`)}</div>
          </Link>
        ))}
        {kpis && (
          <Link href="/settings/kpis" className="card">
            <h2>{t('sections.kpis.title')}</h2>
            <div className="muted">{t('sections.kpis.description')}</div>
          </Link>
        )}
        {routing.map((section) => (
          <Link key={section} href={`/settings/${section}`} className="card">
            <h2>{tr(`sections.${section}.title`)}</h2>
            <div className="muted">{tr(`sections.${section}.description`)}</div>
          </Link>
        ))}
      </div>
    </>
  );
}
