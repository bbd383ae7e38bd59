import { notFound } from 'next/navigation';
import { ExperimentDetail } from '@/components/experiments/experiment-detail';
import { pageViewer } from '@/server/auth/page-viewer';
import { can } from '@/server/auth/permissions';

export const dynamic = 'force-dynamic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ExperimentPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, viewer] = await Promise.all([params, pageViewer()]);
  if (!UUID.test(id)) notFound();
  return <ExperimentDetail id={id} canManage={can(viewer?.role, 'experiments.manage')} />;
}
