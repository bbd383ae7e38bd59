import 'server-only';
import { z } from 'zod';
import { AUDIT_ACTIONS, listAudit } from '@/server/audit/service';
import { procedure, router } from '@/server/trpc';
import { dateInput } from '@/server/routers/inputs';

export const auditRouter = router({
  list: procedure('audit.read')
    .input(
      z
        .object({
          action: z.enum(AUDIT_ACTIONS).optional(),
          actor: z.string().trim().max(200).optional(),
          from: dateInput().optional(),
          to: dateInput().optional(),
          before: dateInput().optional(),
          limit: z.number().int().min(1).max(500).optional(),
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => listAudit(await ctx.db(), { ...input, actor: input?.actor || undefined })),
});
