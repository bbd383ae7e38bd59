import { StatusView } from '@/components/status-view';
import { serverCaller } from '@/server/caller';

export const dynamic = 'force-dynamic';

export default async function StatusPage() {
  const health = await (await serverCaller()).system.health();
  return <StatusView {...health} />;
}
