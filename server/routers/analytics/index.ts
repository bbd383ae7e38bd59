import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { KPI_SETTING_BOUNDS, type KpiSettings } from '@/server/analytics/kpis';
import { loadKpiSettings, saveKpiSettings } from '@/server/analytics/experiments';
import { FlowMissingError, flowOverlay, flowPerformance, flowTagBreakdown } from '@/server/analytics/performance';
import { dateInput, versionNumber } from '@/server/routers/inputs';
import { procedure, router } from '@/server/trpc';

/** The longest range one request may read: a year and a bit, so a query stays bounded. */
const MAX_RANGE_DAYS = 400;

function timeZoneInput() {
  return z
    .string()
    .max(64)
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone);
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Europe/Berlin')
    .default('UTC');
}

const range = z
  .object({ flowId: z.uuid(), from: dateInput(), to: dateInput() })
  .refine((r) => r.from < r.to, { message: 'the range must start before it ends', path: ['from'] })
  .refine((r) => r.to.getTime() - r.from.getTime() <= MAX_RANGE_DAYS * 86_400_000, { message: `at most ${MAX_RANGE_DAYS} days at a time`, path: ['to'] });

async function flowErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof FlowMissingError) throw new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
    throw error;
  }
}

const settingsShape = z.object(
  Object.fromEntries(Object.entries(KPI_SETTING_BOUNDS).map(([key, b]) => [key, (b.step >= 1 ? z.number().int() : z.number()).min(b.min).max(b.max)])) as Record<keyof KpiSettings, z.ZodNumber>,
);

/** The performance page's filters. */
const pageFilters = z.object({
  versions: z.array(versionNumber()).max(50).optional(),
  channel: z.enum(['voice', 'sms']).optional(),
  tag: z.string().min(1).max(100).optional(),
  timeZone: timeZoneInput(),
});

export const analyticsRouter = router({
  /** KPI cards, the time series, and breakdowns by version and channel. */
  performance: procedure('analytics.read')
    .input(z.intersection(range, pageFilters.extend({ bucket: z.enum(['hour', 'day']).default('day') })))
    .query(async ({ ctx, input }) => flowErrors(async () => flowPerformance(await ctx.db(), input))),

  /** The KPIs per customer tag, with the performance page's filters (asked for apart: it is the slow one). */
  tagBreakdown: procedure('analytics.read')
    .input(z.intersection(range, pageFilters))
    .query(async ({ ctx, input }) => flowErrors(async () => flowTagBreakdown(await ctx.db(), input))),

  /** Per node and port over a range, for one version or all. */
  overlay: procedure('analytics.read')
    .input(z.intersection(range, z.object({ version: z.union([versionNumber(), z.literal('all')]).default('all'), channel: z.enum(['voice', 'sms']).optional() })))
    .query(async ({ ctx, input }) => flowErrors(async () => flowOverlay(await ctx.db(), input))),

  settings: procedure('analytics.read').query(async ({ ctx }) => loadKpiSettings(await ctx.db())),

  saveSettings: procedure('settings.manage')
    .input(settingsShape)
    .mutation(async ({ ctx, input }) => saveKpiSettings(await ctx.db(), input, ctx.viewer)),
});
