import 'server-only';
import { createCallerFactory, router } from '@/server/trpc';
import { analyticsRouter } from './analytics';
import { apiKeysRouter } from './api-keys';
import { auditRouter } from './audit';
import { customersRouter } from './customers';
import { executionsRouter } from './executions';
import { experimentsRouter } from './experiments';
import { flowsRouter } from './flows';
import { inboxRouter } from './inbox';
import { routingSettingsRouter } from './routing-settings';
import { sessionRouter } from './session';
import { simulatorRouter } from './simulator';
import { systemRouter } from './system';
import { tagsRouter } from './tags';
import { usersRouter } from './users';

export const appRouter = router({
  analytics: analyticsRouter,
  apiKeys: apiKeysRouter,
  audit: auditRouter,
  customers: customersRouter,
  executions: executionsRouter,
  experiments: experimentsRouter,
  flows: flowsRouter,
  inbox: inboxRouter,
  routingSettings: routingSettingsRouter,
  session: sessionRouter,
  simulator: simulatorRouter,
  system: systemRouter,
  tags: tagsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
