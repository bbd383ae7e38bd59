import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { DbHandle } from './client';
import { customerIdentities, customers, customerTags, flows, flowVersions, phoneNumbers } from './schema';
import { DEMO_NUMBER, demoCustomers, seedIfEmpty } from './seed';
import { testDatabases } from './testing';
import { liveFlowForNumber } from '@/server/flows/service';

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
    const [c] = await db.insert(customers).values({ firstName: 'Test', lastName: 'Person' }).returning();
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

  it('seeds demo data once, with the demo flow live on the demo number', async () => {
    const fresh = await open();
    onTestFinished(() => fresh.close());
    const { db } = fresh;
    expect(await seedIfEmpty(db)).toBe(true);
    expect(await seedIfEmpty(db)).toBe(false);
    const seededPhones = await db.select({ value: customerIdentities.value }).from(customerIdentities).where(eq(customerIdentities.kind, 'phone'));
    for (const c of demoCustomers) expect(seededPhones.map((r) => r.value)).toContain(c.phone);
    const [number] = await db.select().from(phoneNumbers).where(eq(phoneNumbers.number, DEMO_NUMBER));
    expect(number.voiceFlowId).toBeTruthy();
    const versions = await db.select().from(flowVersions).where(eq(flowVersions.flowId, number.voiceFlowId!));
    expect(versions).toHaveLength(1);
    const [flow] = await db.select().from(flows).where(eq(flows.id, number.voiceFlowId!));
    expect(flow.liveVersionId).toBe(versions[0].id);
    const live = await liveFlowForNumber(db, DEMO_NUMBER, 'voice');
    expect(live?.compiled.channel).toBe('voice');
    expect(live?.compiled.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await liveFlowForNumber(db, '+19999999999', 'voice')).toBeUndefined();
  });
});
