import { StatusView } from '@/components/status-view';
import { AREAS } from '@/components/areas';
import { pageViewer } from '@/server/auth/page-viewer';
import { mayOpen } from '@/server/auth/routes';
import { serverCaller } from '@/server/caller';

export const dynamic = 'force-dynamic';

export default async function StatusPage() {
  const [health, viewer] = await Promise.all([(await serverCaller()).system.health(), pageViewer()]);
  return <StatusView {...health} areas={AREAS.filter((area) => mayOpen(viewer?.role, `/${area}`))} />;
}
