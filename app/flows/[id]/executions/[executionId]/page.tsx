import { notFound } from 'next/navigation';
import { ExecutionView } from '@/components/executions/execution-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function Page({ params }: { params: Promise<{ id: string; executionId: string }> }) {
  const { id, executionId } = await params;
  if (!UUID.test(id) || !UUID.test(executionId)) notFound();
  return <ExecutionView flowId={id} executionId={executionId} />;
}
