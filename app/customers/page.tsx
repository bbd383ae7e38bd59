import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { can } from '@/server/auth/permissions';
import { pageViewer } from '@/server/auth/page-viewer';
import { serverCaller } from '@/server/caller';
import { CUSTOMER_SORTS, TAG_CATEGORIES } from '@/server/customers/service';

export const dynamic = 'force-dynamic';

type Params = { q?: string; tag?: string; category?: string; minValue?: string; minBehaviour?: string; sort?: string; dir?: string; page?: string };

const score = (value: string | undefined) => {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
};
const oneOf = <T extends string>(list: readonly T[], value: string | undefined) => (list as readonly string[]).includes(value ?? '') ? (value as T) : undefined;

/** Customers: searched, filtered, sorted and paged by the database; contact details masked by the server for roles that may not see them. */
export default async function CustomersPage({ searchParams }: { searchParams: Promise<Params> }) {
  const [t, format, params, viewer] = await Promise.all([getTranslations('customers'), getFormatter(), searchParams, pageViewer()]);
  const input = {
    search: params.q?.trim() || undefined,
    tag: params.tag?.trim() || undefined,
    category: oneOf(TAG_CATEGORIES, params.category),
    minValue: score(params.minValue),
    minBehaviour: score(params.minBehaviour),
    sort: oneOf(CUSTOMER_SORTS, params.sort) ?? 'name',
    direction: params.dir === 'desc' ? ('desc' as const) : ('asc' as const),
    page: Math.max(1, Math.min(100_000, Math.floor(Number(params.page)) || 1)),
    pageSize: 50,
  };
  const caller = await serverCaller();
  const [list, tagNames] = await Promise.all([caller.customers.list(input), caller.customers.tagNames()]);
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const href = (changes: Partial<Params>) => {
    const query = new URLSearchParams();
    const merged: Params = { ...params, ...changes };
    for (const [key, value] of Object.entries(merged)) if (value) query.set(key, String(value));
    return `/customers?${query.toString()}`;
  };
  const sortLink = (sort: (typeof CUSTOMER_SORTS)[number], label: string) => {
    const active = input.sort === sort;
    const dir = active && input.direction === 'asc' ? 'desc' : 'asc';
    return (
      <Link href={href({ sort, dir, page: undefined })} aria-sort={active ? (input.direction === 'asc' ? 'ascending' : 'descending') : undefined} data-testid={`sort-${sort}`}>
        {label}
        {active ? (input.direction === 'asc' ? ' ↑' : ' ↓') : ''}
      </Link>
    );
  };
  return (
    <>
      <h1>{t('title')}</h1>
      {can(viewer?.role, 'customers.write') && (
        <p>
          <Link href="/customers/import" data-testid="customers-import-link">
            {t('importLink')}
          </Link>
        </p>
      )}
      <form className="card inline-form" method="get" data-testid="customer-filters">
        <input name="q" defaultValue={params.q ?? ''} placeholder={t('search')} aria-label={t('search')} />
        <label>
          {t('filterTag')}{' '}
          <input name="tag" list="customer-tag-names" defaultValue={params.tag ?? ''} size={14} />
        </label>
        <datalist id="customer-tag-names">
          {tagNames.map((tag) => (
            <option key={tag.name} value={tag.name} />
          ))}
        </datalist>
        <label>
          {t('filterCategory')}{' '}
          <select name="category" defaultValue={input.category ?? ''}>
            <option value="">{t('anyCategory')}</option>
            {TAG_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`tagCategories.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('minValue')} <input name="minValue" type="number" min={0} max={1} step={0.05} defaultValue={params.minValue ?? ''} style={{ width: '5em' }} />
        </label>
        <label>
          {t('minBehaviour')} <input name="minBehaviour" type="number" min={0} max={1} step={0.05} defaultValue={params.minBehaviour ?? ''} style={{ width: '5em' }} />
        </label>
        <input type="hidden" name="sort" value={input.sort} />
        <input type="hidden" name="dir" value={input.direction} />
        <button type="submit">{t('searchButton')}</button>
      </form>
      <p className="muted" data-testid="customers-count">
        {list.totalCapped ? t('countCapped', { count: format.number(list.total) }) : t('count', { count: list.total })}
      </p>
      <table data-testid="customers">
        <thead>
          <tr>
            <th>{sortLink('name', t('name'))}</th>
            <th>{t('phone')}</th>
            <th>{t('email')}</th>
            <th>{t('tags')}</th>
            <th>{sortLink('value', t('value'))}</th>
            <th>{sortLink('behaviour', t('behaviour'))}</th>
            <th>{sortLink('created', t('created'))}</th>
          </tr>
        </thead>
        <tbody>
          {list.rows.map((c) => (
            <tr key={c.id}>
              <td>
                <Link href={`/customers/${c.id}`}>{[c.firstName, c.lastName].filter(Boolean).join(' ') || t('unnamed')}</Link>
              </td>
              <td>{c.identities.filter((i) => i.kind === 'phone').map((i) => i.value).join(', ')}</td>
              <td>{c.identities.filter((i) => i.kind === 'email').map((i) => i.value).join(', ')}</td>
              <td>{c.tags.join(', ')}</td>
              <td>{format.number(c.valueScore, { maximumFractionDigits: 2 })}</td>
              <td>{format.number(c.behaviourScore, { maximumFractionDigits: 2 })}</td>
              <td>{format.dateTime(c.createdAt, { dateStyle: 'medium' })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.rows.length === 0 && <p className="muted">{t('empty')}</p>}
      {(input.page > 1 || input.page < pages) && (
        <nav className="inline-form" aria-label={t('pages')} data-testid="customers-pages">
          {input.page > 1 && <Link href={href({ page: String(input.page - 1) })}>{t('previous')}</Link>}
          <span>{t('pageOf', { page: input.page, pages: list.totalCapped ? `${format.number(pages)}+` : format.number(pages) })}</span>
          {input.page < pages && <Link href={href({ page: String(input.page + 1) })}>{t('next')}</Link>}
        </nav>
      )}
    </>
  );
}
