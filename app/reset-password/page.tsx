import { ResetPasswordForm } from '@/components/auth/reset-password-form';
import { setNewPassword } from './actions';

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return <ResetPasswordForm action={setNewPassword} token={token} />;
}
