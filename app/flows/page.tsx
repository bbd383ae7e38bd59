import { Placeholder } from '@/components/placeholder';

export default function Page() {
  return <Placeholder area="flows" />;
}
