'use server';

import { headers } from 'next/headers';
import type { ResetPasswordState } from '@/components/auth/reset-password-form';
import { getAuth } from '@/server/auth/auth';
import { resetPassword } from '@/server/auth/form-auth';

export async function setNewPassword(_state: ResetPasswordState, form: FormData): Promise<ResetPasswordState> {
  const newPassword = String(form.get('password') ?? '');
  if (newPassword !== String(form.get('confirm') ?? '')) return { error: 'mismatch' };
  const changed = await resetPassword(await getAuth(), { token: String(form.get('token') ?? ''), newPassword }, await headers());
  return changed ? { done: true } : { error: 'resetFailed' };
}
