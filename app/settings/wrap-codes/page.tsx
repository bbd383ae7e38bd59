import { getTranslations } from 'next-intl/server';
import { WrapCodesAdmin } from '@/components/settings/routing/wrap-codes-admin';

export const dynamic = 'force-dynamic';

export default async function WrapCodesPage() {
  const t = await getTranslations('routingSettings.wrapCodes');
  return (
    <>
      <h1>{t('title')}</h1>
      <WrapCodesAdmin />
    </>
  );
}
