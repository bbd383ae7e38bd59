import { createCallerFactory, router } from '@/server/trpc';
import { systemRouter } from './system';

export const appRouter = router({
  system: systemRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
