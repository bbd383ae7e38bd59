import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Supervisor } from '@/components/inbox/supervisor';
import { pageViewer } from '@/server/auth/page-viewer';
import { can } from '@/server/auth/permissions';

export const dynamic = 'force-dynamic';

export default async function Page() {
  const [t, viewer] = await Promise.all([getTranslations('supervisor'), pageViewer()]);
  return (
    <>
      <div className="page-head">
        <h1>{t('title')}</h1>
        {can(viewer?.role, 'inbox.work') && <Link href="/inbox">{t('toInbox')}</Link>}
      </div>
      <Supervisor />
    </>
  );
}
