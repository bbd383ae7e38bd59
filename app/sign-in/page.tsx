import { redirect } from 'next/navigation';
import { ForgotPasswordForm, SignInForm } from '@/components/auth/sign-in-form';
import { pageViewer } from '@/server/auth/page-viewer';
import { forgotPassword, signIn } from './actions';

export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; mode?: string }> }) {
  if (await pageViewer()) redirect('/');
  const { next, mode } = await searchParams;
  return mode === 'forgot' ? <ForgotPasswordForm action={forgotPassword} /> : <SignInForm action={signIn} next={next} />;
}
