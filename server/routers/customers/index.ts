import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { recordAudit } from '@/server/audit/service';
import { customerDataProcedure, procedure, router } from '@/server/trpc';
import { CustomerNotFound, customerListInput, eraseCustomer, tagNames, exportCustomer, getCustomer, listCustomers, revealCustomer } from '@/server/customers/service';
import { customerUpsertSchema, eventSchema, ordersUpsertSchema, postEvent, UnknownCustomerError, upsertCustomer, upsertOrders } from '@/server/customers/data-in';
import { exportForViewer, seesUnmasked } from '@/server/privacy/protect';

const byId = z.object({ id: z.uuid() });

async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof CustomerNotFound) throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
    if (error instanceof UnknownCustomerError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
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
