import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { getDb } from '@/db/client';
import { getAuth } from './auth';
import { resolveViewer, type Viewer } from './viewer';

/** The viewer of the page being rendered (React Server Components), once per request. */
export const pageViewer = cache(async (): Promise<Viewer | undefined> => {
  const [db, auth] = await Promise.all([getDb(), getAuth()]);
  return resolveViewer(db, auth, new Headers(await headers()));
});
