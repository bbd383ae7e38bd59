import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { serverCaller } from '@/server/caller';

export const dynamic = 'force-dynamic';

/** Customers, with contact details masked by the server for roles that may not see them. */
export default async function CustomersPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const [t, { q }] = await Promise.all([getTranslations('customers'), searchParams]);
  const rows = await (await serverCaller()).customers.list({ search: q, limit: 200 });
  return (
    <>
      <h1>{t('title')}</h1>
      <form className="card inline-form" method="get">
        <input name="q" defaultValue={q ?? ''} placeholder={t('search')} aria-label={t('search')} />
        <button type="submit">{t('searchButton')}</button>
      </form>
      <table data-testid="customers">
        <thead>
          <tr>
            <th>{t('name')}</th>
            <th>{t('phone')}</th>
            <th>{t('email')}</th>
            <th>{t('tags')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <td>
                <Link href={`/customers/${c.id}`}>{[c.firstName, c.lastName].filter(Boolean).join(' ') || t('unnamed')}</Link>
              </td>
              <td>{c.identities.filter((i) => i.kind === 'phone').map((i) => i.value).join(', ')}</td>
              <td>{c.identities.filter((i) => i.kind === 'email').map((i) => i.value).join(', ')}</td>
              <td>{c.tags.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">{t('empty')}</p>}
    </>
  );
}
