import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from './client';
import { customerIdentities, customers, customerTags } from './schema';
import { testDatabases } from './testing';
import { firstRow } from '@/db/rows';

describe.each(testDatabases())('database on $name', ({ open }) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('writes and reads rows, with constraints enforced', async () => {
    const { db } = handle;
    const c = firstRow(await db.insert(customers).values({ firstName: 'Test', lastName: 'Person' }).returning(), 'insert into customers');
    await db.insert(customerIdentities).values({ customerId: c.id, kind: 'phone', value: '+15550001111' });
    await db.insert(customerTags).values({ customerId: c.id, tag: 'vip' });
    const rows = await db
      .select({ first: customers.firstName, phone: customerIdentities.value })
      .from(customers)
      .innerJoin(customerIdentities, eq(customerIdentities.customerId, customers.id))
      .where(eq(customers.id, c.id));
    expect(rows).toEqual([{ first: 'Test', phone: '+15550001111' }]);
    await expect(db.insert(customerIdentities).values({ customerId: c.id, kind: 'phone', value: '+15550001111' })).rejects.toThrow();
  });
});
