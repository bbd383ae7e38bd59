import { FlowsList } from '@/components/flows/flows-list';

export default function FlowsPage() {
  return <FlowsList />;
}
