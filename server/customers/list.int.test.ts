import { describe, expect, it, onTestFinished } from 'vitest';
import { testDatabases } from '@/db/testing';
import { seed } from '@/server/demo/seed';
import { listCustomers } from './service';

describe.each(testDatabases())('the customer list on $name', ({ open }) => {
  it('searches names, numbers, emails, member ids and tags; filters, sorts and pages on the server', async () => {
    const handle = await open();
    onTestFinished(() => handle.close());
    const { db } = handle;
    await seed(db, { history: false });
    const names = async (input: Parameters<typeof listCustomers>[1]) => (await listCustomers(db, input)).rows.map((r) => r.firstName);
    expect(await names({ search: 'garc' })).toEqual(['Maria']); // part of a last name, any case
    expect(await names({ search: '5550002' })).toEqual(['Bob']); // part of a number
    expect(await names({ search: 'WANGWEI@example' })).toEqual(['伟']);
    expect(await names({ search: 'M-1001' })).toEqual(['Alice']);
    expect(await names({ search: 'elderly' })).toEqual(['Bob']); // a tag, exactly
    expect(await names({ search: '100%_' })).toEqual([]); // pattern characters are literal
    expect(await names({ tag: 'vip' })).toEqual(['Alice']);
    expect(await names({ category: 'preference' })).toEqual(['伟']);
    expect(await names({ minValue: 0.6, sort: 'value', direction: 'desc' })).toEqual(['Alice', '伟']);
    expect(await names({ sort: 'behaviour' })).toEqual(['Maria', 'Alice', 'Bob', '伟']);
    const first = await listCustomers(db, { sort: 'name', pageSize: 3 });
    const second = await listCustomers(db, { sort: 'name', pageSize: 3, page: 2 });
    expect(first).toMatchObject({ total: 4, totalCapped: false, page: 1, pageSize: 3 });
    expect([...first.rows, ...second.rows].map((r) => r.lastName)).toEqual(['Chen', 'Garcia', 'Miller', '王']);
    expect(JSON.stringify(first)).not.toContain('birthDate');
  });
});
