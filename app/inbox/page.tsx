import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Inbox } from '@/components/inbox/inbox';
import { pageViewer } from '@/server/auth/page-viewer';
import { can } from '@/server/auth/permissions';

export const dynamic = 'force-dynamic';

/** The agent's inbox; a supervisor who is not an agent goes to the board. */
export default async function Page() {
  const [t, viewer] = await Promise.all([getTranslations('inbox'), pageViewer()]);
  if (!can(viewer?.role, 'inbox.work')) redirect('/inbox/supervisor');
  return (
    <>
      <div className="page-head">
        <h1>{t('title')}</h1>
        {can(viewer?.role, 'routing.supervise') && <Link href="/inbox/supervisor">{t('toSupervisor')}</Link>}
      </div>
      <Inbox />
    </>
  );
}
