import { getTranslations } from 'next-intl/server';
import type { AREAS } from './areas';

export async function Placeholder({ area }: { area: (typeof AREAS)[number] }) {
  const t = await getTranslations();
  return (
    <>
      <h1>{t(`nav.${area}`)}</h1>
      <p className="muted">{t(`areas.${area}`)}</p>
      <p>{t('placeholder.comingSoon')}</p>
    </>
  );
}
