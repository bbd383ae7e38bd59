import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { mayOpen } from '@/server/auth/routes';
import type { Viewer } from '@/server/auth/viewer';
import { AREAS } from './areas';
import { LocaleSwitcher } from './locale-switcher';


/** The main navigation: only the areas the viewer's role may open (the proxy refuses the rest). */
export async function Nav({ viewer }: { viewer: Viewer | undefined }) {
  const t = await getTranslations();
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">{t('app.name')}</div>
      {viewer && (
        <>
          <Link href="/">{t('nav.home')}</Link>
          {AREAS.filter((area) => mayOpen(viewer.role, `/${area}`)).map((area) => (
            <Link key={area} href={`/${area}`}>
              {t(`nav.${area}`)}
            </Link>
          ))}
        </>
      )}
      <div className="spacer" />
      {viewer && (
        <div className="viewer" data-testid="viewer">
          <div>{viewer.email}</div>
          <div className="muted">{t(`roles.${viewer.role}`)}</div>
          <SignOutButton />
        </div>
      )}
      <LocaleSwitcher />
    </nav>
  );
}
