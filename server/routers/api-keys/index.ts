import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { recordAudit } from '@/server/audit/service';
import { ApiKeyError, canGrantRole, createApiKey, listApiKeys, revokeApiKey } from '@/server/auth/api-keys';
import { can, ROLES } from '@/server/auth/permissions';
import { procedure, router } from '@/server/trpc';

async function keyErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ApiKeyError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
    throw error;
  }
}

export const apiKeysRouter = router({
  /** User managers see every key; anyone else with the permission sees their own. */
  list: procedure('apikeys.manage').query(async ({ ctx }) => listApiKeys(await ctx.db(), ctx.viewer, can(ctx.viewer.role, 'users.manage'))),

  /** Roles the viewer may create keys for (never more than their own rights). */
  grantableRoles: procedure('apikeys.manage').query(({ ctx }) => ROLES.filter((role) => canGrantRole(ctx.viewer.role, role))),

  /** Returns the key in full; it is never shown again. */
  create: procedure('apikeys.manage')
    .input(z.object({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      if (ctx.viewer.via === 'apiKey') throw new TRPCError({ code: 'FORBIDDEN', message: 'API keys cannot create API keys.' });
      const db = await ctx.db();
      const created = await keyErrors(createApiKey(db, { ...input, createdBy: ctx.viewer }));
      await recordAudit(db, { action: 'apikey.create', actor: ctx.viewer, target: { type: 'apiKey', id: created.id }, details: { name: created.name, prefix: created.prefix, role: created.role } });
      return created;
    }),

  revoke: procedure('apikeys.manage')
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const revoked = await keyErrors(revokeApiKey(db, { id: input.id, viewer: ctx.viewer, all: can(ctx.viewer.role, 'users.manage') }));
      await recordAudit(db, { action: 'apikey.revoke', actor: ctx.viewer, target: { type: 'apiKey', id: revoked.id }, details: { name: revoked.name, prefix: revoked.prefix } });
      return revoked;
    }),
});
