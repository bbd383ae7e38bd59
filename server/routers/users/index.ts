import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { recordAudit } from '@/server/audit/service';
import { ROLES } from '@/server/auth/permissions';
import { inviteUser, listUsers, setActive, setRole, UserError } from '@/server/auth/users';
import { procedure, router } from '@/server/trpc';

async function userErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof UserError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
    throw error;
  }
}

export const usersRouter = router({
  list: procedure('users.manage').query(async ({ ctx }) => listUsers(await ctx.db())),

  /** Creates the account with a temporary password, returned once for the admin to pass on. */
  invite: procedure('users.manage')
    .input(z.object({ email: z.email(), name: z.string().trim().min(1).max(200), role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const result = await userErrors(inviteUser(db, input));
      await recordAudit(db, { action: 'user.invite', actor: ctx.viewer, target: { type: 'user', id: result.user.id }, details: { email: result.user.email, role: input.role } });
      return result;
    }),

  setRole: procedure('users.manage')
    .input(z.object({ userId: z.string().min(1), role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const { before, user } = await userErrors(setRole(db, input));
      await recordAudit(db, { action: 'user.role', actor: ctx.viewer, target: { type: 'user', id: user.id }, details: { email: user.email, from: before, to: user.role } });
      return user;
    }),

  setActive: procedure('users.manage')
    .input(z.object({ userId: z.string().min(1), active: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      if (!input.active && input.userId === ctx.viewer.userId) throw new TRPCError({ code: 'BAD_REQUEST', message: 'You cannot deactivate yourself.' });
      const db = await ctx.db();
      const user = await userErrors(setActive(db, input));
      await recordAudit(db, { action: input.active ? 'user.reactivate' : 'user.deactivate', actor: ctx.viewer, target: { type: 'user', id: user.id }, details: { email: user.email } });
      return user;
    }),
});
