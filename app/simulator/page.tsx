import { getTranslations } from 'next-intl/server';
import { Simulator } from '@/components/simulator/simulator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function Page({ searchParams }: { searchParams: Promise<{ flow?: string; to?: string }> }) {
  const t = await getTranslations('simulator');
  const { flow, to } = await searchParams;
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <Simulator initialFlowId={flow && UUID.test(flow) ? flow : undefined} initialNumber={to && /^\+\d{7,15}$/.test(to) ? to : undefined} />
    </>
  );
}
