import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { createCaller } from '@/server/routers/_app';
import { createContext } from '@/server/trpc';

/** tRPC for React Server Components: same procedures, same middleware, no HTTP hop. */
export const serverCaller = cache(async () => createCaller(await createContext({ headers: new Headers(await headers()) })));
