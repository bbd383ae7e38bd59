import { FlowEditorPage } from '@/components/flow-editor/flow-editor';

export default async function FlowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <FlowEditorPage flowId={id} />;
}
