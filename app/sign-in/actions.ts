'use server';

import { parseSetCookieHeader, toCookieOptions } from 'better-auth/cookies';
import { cookies, headers } from 'next/headers';
import { redirect, RedirectType } from 'next/navigation';
import type { ForgotPasswordState, SignInState } from '@/components/auth/sign-in-form';
import { getAuth } from '@/server/auth/auth';
import { requestPasswordReset, signInWithPassword } from '@/server/auth/form-auth';
import { safeNext } from '@/server/auth/routes';

export async function signIn(_state: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '');
  const result = await signInWithPassword(await getAuth(), { email, password: String(form.get('password') ?? '') }, await headers());
  if ('error' in result) return { error: result.error, email };
  const jar = await cookies();
  for (const [name, cookie] of parseSetCookieHeader(result.setCookie)) jar.set(name, cookie.value, toCookieOptions(cookie));
  redirect(safeNext(form.get('next')?.toString()), RedirectType.replace);
}

export async function forgotPassword(_state: ForgotPasswordState, form: FormData): Promise<ForgotPasswordState> {
  const outcome = await requestPasswordReset(await getAuth(), String(form.get('email') ?? ''), await headers());
  return outcome === 'tooMany' ? { error: 'tooMany' } : { sent: true };
}
