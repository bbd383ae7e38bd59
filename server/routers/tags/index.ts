import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { previewRule } from '@/server/tags/engine';
import { scoreFormulaSchema, scoreFormulasSchema, tagRuleInputSchema } from '@/server/tags/rules';
import { deleteTagRule, getTagRule, listTagRules, loadScoreFormulas, previewScore, runAllTagRules, saveScoreFormulas, saveTagRule, TagRuleNotFound } from '@/server/tags/service';
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
  /** The value and behaviour score formulas (null: that score is set by hand or import). */
  scores: manage().query(async ({ ctx }) => loadScoreFormulas(await ctx.db())),
  saveScores: manage()
    .input(scoreFormulasSchema)
    .mutation(async ({ ctx, input }) => saveScoreFormulas(await ctx.db(), input, ctx.viewer)),
  /** A sample of customers with today's score and what the formula would make it. */
  previewScore: manage()
    .input(z.object({ which: z.enum(['value', 'behaviour']), formula: scoreFormulaSchema }))
    .mutation(async ({ ctx, input }) => previewScore(await ctx.db(), input.which, input.formula)),
  /** The full pass now (it also runs nightly); answers what it changed. */
  runNow: manage().mutation(async ({ ctx }) => runAllTagRules(await ctx.db())),
});
