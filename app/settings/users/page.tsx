import { getTranslations } from 'next-intl/server';
import { UsersAdmin } from '@/components/settings/users-admin';
import { pageViewer } from '@/server/auth/page-viewer';

export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const [t, viewer] = await Promise.all([getTranslations('users'), pageViewer()]);
  return (
    <>
      <h1>{t('title')}</h1>
      <UsersAdmin selfId={viewer?.userId ?? ''} />
    </>
  );
}
