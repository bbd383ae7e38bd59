import 'server-only';
import { z } from 'zod';
import { AUDIT_ACTIONS, listAudit } from '@/server/audit/service';
import { procedure, router } from '@/server/trpc';

export const auditRouter = router({
  list: procedure('audit.read')
    .input(
      z
        .object({
          action: z.enum(AUDIT_ACTIONS).optional(),
          actor: z.string().trim().max(200).optional(),
          from: z.date().optional(),
          to: z.date().optional(),
          before: z.date().optional(),
          limit: z.number().int().min(1).max(500).optional(),
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => listAudit(await ctx.db(), { ...input, actor: input?.actor || undefined })),
});
