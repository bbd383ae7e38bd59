import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { previewRule } from '@/server/tags/engine';
import { tagRuleInputSchema } from '@/server/tags/rules';
import { deleteTagRule, getTagRule, listTagRules, runAllTagRules, saveTagRule, TagRuleNotFound } from '@/server/tags/service';
import { procedure, router } from '@/server/trpc';

/** Tag rules under /settings/tags: list, edit, preview before saving, and the full pass on demand. */

async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof TagRuleNotFound) throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
    throw error;
  }
}

const manage = () => procedure('settings.manage');
const id = z.uuid();
const ruleInput = tagRuleInputSchema.and(z.object({ id: id.optional() }));

export const tagsRouter = router({
  rules: manage().query(async ({ ctx }) => listTagRules(await ctx.db())),
  rule: manage()
    .input(z.object({ id }))
    .query(async ({ ctx, input }) => orNotFound(getTagRule(await ctx.db(), input.id))),
  preview: manage()
    .input(ruleInput)
    .query(async ({ ctx, input }) => previewRule(await ctx.db(), input)),
  save: manage()
    .input(ruleInput)
    .mutation(async ({ ctx, input }) => orNotFound(saveTagRule(await ctx.db(), input, ctx.viewer))),
  delete: manage()
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => orNotFound(deleteTagRule(await ctx.db(), input.id, ctx.viewer))),
  /** The full pass now (it also runs nightly); answers what it changed. */
  runNow: manage().mutation(async ({ ctx }) => runAllTagRules(await ctx.db())),
});
