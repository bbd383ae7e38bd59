import { ExperimentList } from '@/components/experiments/experiment-list';
import { pageViewer } from '@/server/auth/page-viewer';
import { can } from '@/server/auth/permissions';

export const dynamic = 'force-dynamic';

export default async function ExperimentsPage() {
  const viewer = await pageViewer();
  return <ExperimentList canManage={can(viewer?.role, 'experiments.manage')} />;
}
