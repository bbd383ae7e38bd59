import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { LocaleSwitcher } from './locale-switcher';

export const AREAS = ['flows', 'simulator', 'inbox', 'customers', 'experiments', 'settings'] as const;

export async function Nav() {
  const t = await getTranslations();
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">{t('app.name')}</div>
      <Link href="/">{t('nav.home')}</Link>
      {AREAS.map((area) => (
        <Link key={area} href={`/${area}`}>
          {t(`nav.${area}`)}
        </Link>
      ))}
      <div className="spacer" />
      <LocaleSwitcher />
    </nav>
  );
}
