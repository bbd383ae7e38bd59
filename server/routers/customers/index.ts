import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { recordAudit } from '@/server/audit/service';
import { customerDataProcedure, procedure, router } from '@/server/trpc';
import { CustomerNotFound, customerListInput, eraseCustomer, tagNames, exportCustomer, getCustomer, listCustomers, revealCustomer } from '@/server/customers/service';
import { customerUpsertSchema, eventSchema, ordersUpsertSchema, postEvent, UnknownCustomerError, upsertCustomer, upsertOrders } from '@/server/customers/data-in';
import { exportForViewer, seesUnmasked } from '@/server/privacy/protect';
import { MergeError, mergeCustomers, MergeNotFound, mergeSuggestions, mergesOf, previewMerge, undoMerge } from '@/server/customers/merge';

const byId = z.object({ id: z.uuid() });
const mergePair = z.object({ survivorId: z.uuid(), absorbedId: z.uuid() });

async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof CustomerNotFound) throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
    if (error instanceof UnknownCustomerError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
    if (error instanceof MergeNotFound) throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
    if (error instanceof MergeError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
    throw error;
  }
}


export const customersRouter = router({
  list: customerDataProcedure('customers.read')
    .input(customerListInput.optional())
    .query(async ({ ctx, input }) => listCustomers(await ctx.db(), input ?? {})),

  /** Data in (API key): a customer by any identity, created when none is known; runs the tag rules. */
  upsert: procedure('customers.write')
    .input(customerUpsertSchema)
    .mutation(async ({ ctx, input }) => orNotFound(upsertCustomer(await ctx.db(), input))),
  /** Orders by the order system's id (up to 1,000 a call), for known customers; runs the tag rules. */
  upsertOrders: procedure('customers.write')
    .input(ordersUpsertSchema)
    .mutation(async ({ ctx, input }) => orNotFound(upsertOrders(await ctx.db(), input))),
  /** An event such as `purchase` or `account-risk` for a known customer; runs the tag rules at once. */
  postEvent: procedure('customers.write')
    .input(eventSchema)
    .mutation(async ({ ctx, input }) => orNotFound(postEvent(await ctx.db(), input))),

  /** The known tags (for the list's filter), by name. */
  tagNames: procedure('customers.read').query(async ({ ctx }) => tagNames(await ctx.db())),

  get: customerDataProcedure('customers.read')
    .input(byId)
    .query(async ({ ctx, input }) => orNotFound(getCustomer(await ctx.db(), input.id))),

  /** Profiles that may be the same person (shared identities, similar names), best first. */
  mergeSuggestions: customerDataProcedure('customers.read')
    .input(byId)
    .query(async ({ ctx, input }) => orNotFound(mergeSuggestions(await ctx.db(), input.id))),
  /** The merged profile as it would be, beside both, and the rows that would move; nothing is written. */
  previewMerge: customerDataProcedure('customers.read')
    .input(mergePair)
    .query(async ({ ctx, input }) => orNotFound(previewMerge(await ctx.db(), input))),
  /** The merges into a customer (names, dates, counts: no contact data). */
  merges: procedure('customers.read')
    .input(byId)
    .query(async ({ ctx, input }) => mergesOf(await ctx.db(), input.id)),
  /** Merges `absorbedId` into `survivorId`: recorded in the audit log, undoable. */
  merge: procedure('customers.merge')
    .input(mergePair)
    .mutation(async ({ ctx, input }) => orNotFound(mergeCustomers(await ctx.db(), { ...input, actor: ctx.viewer }))),
  undoMerge: procedure('customers.merge')
    .input(z.object({ mergeId: z.uuid() }))
    .mutation(async ({ ctx, input }) => orNotFound(undoMerge(await ctx.db(), { mergeId: input.mergeId, actor: ctx.viewer }))),

  /** All we hold about one customer; masked for masked roles, and always audited. */
  export: customerDataProcedure('customers.export')
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const data = await orNotFound(exportCustomer(db, input.id));
      await recordAudit(db, { action: 'customer.export', actor: ctx.viewer, target: { type: 'customer', id: input.id }, details: { masked: !seesUnmasked(ctx.viewer) } });
      return exportForViewer(ctx.viewer, data);
    }),

  erase: procedure('customers.erase')
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const counts = await orNotFound(eraseCustomer(db, input.id));
      await recordAudit(db, { action: 'customer.erase', actor: ctx.viewer, target: { type: 'customer', id: input.id }, details: counts });
      return counts;
    }),

  /** Contact details and decrypted sensitive fields of one customer; every call is audited. */
  unmask: procedure('customers.unmask')
    .input(byId.extend({ reason: z.string().max(500).optional() }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const revealed = await orNotFound(revealCustomer(db, input.id));
      await recordAudit(db, { action: 'customer.unmask', actor: ctx.viewer, target: { type: 'customer', id: input.id }, details: { reason: input.reason ?? '' } });
      return revealed;
    }),
});
