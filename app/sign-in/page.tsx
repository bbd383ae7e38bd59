import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { pageViewer } from '@/server/auth/page-viewer';

export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await pageViewer()) redirect('/');
  const { next } = await searchParams;
  return <SignInForm next={next} />;
}
