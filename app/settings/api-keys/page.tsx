import { getTranslations } from 'next-intl/server';
import { ApiKeysAdmin } from '@/components/settings/api-keys-admin';

export default async function ApiKeysPage() {
  const t = await getTranslations('apiKeys');
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <ApiKeysAdmin />
    </>
  );
}
