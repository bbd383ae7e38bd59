import 'server-only';
import { PERMISSION_TABLE } from '@/server/auth/permissions';
import { procedure, router } from '@/server/trpc';

export const sessionRouter = router({
  /** The signed-in viewer and what they may do; the UI uses it to hide what the role cannot do. */
  me: procedure('authenticated').query(({ ctx }) => ({ ...ctx.viewer, permissions: PERMISSION_TABLE[ctx.viewer.role] })),
});
