import { eq } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { customerIdentities, flows, flowVersions, phoneNumbers } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { liveFlowForNumber } from '@/server/flows/service';
import { DEMO_NUMBER, demoCustomers, seedIfEmpty } from './seed';
import { firstRow } from '@/db/rows';

describe.each(testDatabases())('demo data on $name', ({ open }) => {
  it('seeds demo data once, with the demo flow live on the demo number', async () => {
    const handle = await open();
    onTestFinished(() => handle.close());
    const { db } = handle;
    expect(await seedIfEmpty(db)).toBe(true);
    expect(await seedIfEmpty(db)).toBe(false);
    const seededPhones = await db.select({ value: customerIdentities.value }).from(customerIdentities).where(eq(customerIdentities.kind, 'phone'));
    for (const c of demoCustomers) expect(seededPhones.map((r) => r.value)).toContain(c.phone);
    const number = firstRow(await db.select().from(phoneNumbers).where(eq(phoneNumbers.number, DEMO_NUMBER)), 'phoneNumbers');
    expect(number.voiceFlowId).toBeTruthy();
    const versions = await db.select().from(flowVersions).where(eq(flowVersions.flowId, number.voiceFlowId!));
    expect(versions).toHaveLength(1);
    const flow = firstRow(await db.select().from(flows).where(eq(flows.id, number.voiceFlowId!)), 'flows');
    expect(flow.liveVersionId).toBe(versions[0]?.id);
    const live = await liveFlowForNumber(db, DEMO_NUMBER, 'voice');
    expect(live?.compiled.channel).toBe('voice');
    expect(live?.compiled.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await liveFlowForNumber(db, '+19999999999', 'voice')).toBeUndefined();
  });
});
