import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';

type Outputs = inferRouterOutputs<AppRouter>;
export type Overview = Outputs['inbox']['overview'];
export type HandoffContext = Outputs['inbox']['context'];
export type Board = Outputs['inbox']['supervisor']['board'];
export type QaFindingView = { ruleName: string; action: 'block' | 'warn'; message: string; excerpt: string };
