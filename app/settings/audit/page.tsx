import { getFormatter, getTranslations } from 'next-intl/server';
import { AUDIT_ACTIONS, type AuditAction } from '@/server/audit/service';
import { serverCaller } from '@/server/caller';

export const dynamic = 'force-dynamic';

type Search = { action?: string; actor?: string; from?: string; to?: string };

function day(value: string | undefined, offsetDays = 0): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offsetDays);
  return date;
}

/** The audit trail, filtered by action, actor and date range (a plain GET form: links are shareable). */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const [t, format, search] = await Promise.all([getTranslations('audit'), getFormatter(), searchParams]);
  const action = (AUDIT_ACTIONS as readonly string[]).includes(search.action ?? '') ? (search.action as AuditAction) : undefined;
  const rows = await (await serverCaller()).audit.list({ action, actor: search.actor, from: day(search.from), to: day(search.to, 1), limit: 200 });
  return (
    <>
      <h1>{t('title')}</h1>
      <form className="card inline-form" method="get" aria-label={t('filter')}>
        <select name="action" defaultValue={action ?? ''} aria-label={t('action')}>
          <option value="">{t('allActions')}</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {t(`actions.${a.replace('.', '_')}`)}
            </option>
          ))}
        </select>
        <input name="actor" defaultValue={search.actor ?? ''} placeholder={t('actor')} aria-label={t('actor')} />
        <label>
          {t('from')} <input type="date" name="from" defaultValue={search.from ?? ''} />
        </label>
        <label>
          {t('to')} <input type="date" name="to" defaultValue={search.to ?? ''} />
        </label>
        <button type="submit">{t('filter')}</button>
      </form>
      <table data-testid="audit-log">
        <thead>
          <tr>
            <th>{t('when')}</th>
            <th>{t('action')}</th>
            <th>{t('actor')}</th>
            <th>{t('target')}</th>
            <th>{t('details')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{format.dateTime(row.at, { dateStyle: 'medium', timeStyle: 'medium' })}</td>
              <td>{t(`actions.${row.action.replace('.', '_')}`)}</td>
              <td>
                {row.actorEmail ?? t('system')}
                {row.actorRole && <span className="muted"> · {row.actorRole}</span>}
                {row.via === 'apiKey' && <span className="muted"> · {t('viaApiKey')}</span>}
              </td>
              <td>{row.targetType ? `${row.targetType} ${row.targetId}` : ''}</td>
              <td>
                <code>{JSON.stringify(row.details)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">{t('empty')}</p>}
    </>
  );
}
