import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CustomerActions } from '@/components/customers/customer-actions';
import { CustomerMerge } from '@/components/customers/customer-merge';
import { CustomerScores } from '@/components/customers/customer-scores';
import { CustomerTags } from '@/components/customers/customer-tags';
import { CustomerTimeline } from '@/components/customers/customer-timeline';
import { can } from '@/server/auth/permissions';
import { pageViewer } from '@/server/auth/page-viewer';
import { serverCaller } from '@/server/caller';
import { preferencesSchema } from '@/server/customers/data-in';
import { seesUnmasked } from '@/server/privacy/protect';

export const dynamic = 'force-dynamic';

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, t, format, viewer] = await Promise.all([params, getTranslations('customers'), getFormatter(), pageViewer()]);
  const customer = await (await serverCaller()).customers.get({ id }).catch((error) => {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
    throw error;
  });
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ') || t('unnamed');
  const prefs = preferencesSchema.catch({}).parse(customer.preferences);
  return (
    <>
      <h1>{name}</h1>
      <p className="muted" data-testid="masking">
        {seesUnmasked(viewer) ? t('unmaskedNotice') : t('maskedNotice')}
      </p>
      <CustomerMerge id={customer.id} mergedInto={customer.mergedInto} canMerge={can(viewer?.role, 'customers.merge')} />
      <div className="cards">
        <section className="card" data-testid="identities">
          <h2>{t('contact')}</h2>
          <dl>
            {customer.identities.map((i) => (
              <div key={`${i.kind}:${i.value}`}>
                <dt>{t(`kinds.${i.kind}`)}</dt>
                <dd>{i.value}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="card">
          <h2>{t('profile')}</h2>
          <div>
            {t('locale')}: {customer.locale}
          </div>
          <div>
            {t('value')}: {format.number(customer.valueScore, { maximumFractionDigits: 2 })} · {t('behaviour')}:{' '}
            {format.number(customer.behaviourScore, { maximumFractionDigits: 2 })}
          </div>
          <div>
            {t('tags')}: {customer.tags.join(', ')}
          </div>
          <div>
            {t('sensitive')}: {customer.sensitiveFields.length ? customer.sensitiveFields.map((f) => t(`fields.${f}`)).join(', ') : '—'}
          </div>
          <div data-testid="customer-preferences">
            {t('preferences.title')}:{' '}
            {[
              prefs.dialect && t('preferences.dialect', { dialect: prefs.dialect }),
              prefs.slowSpeech && t('preferences.slowSpeech'),
              prefs.preferredChannel && t('preferences.channel', { channel: t(`preferences.channels.${prefs.preferredChannel}`) }),
              prefs.quietHours && t('preferences.quietHours', prefs.quietHours),
            ]
              .filter(Boolean)
              .join(' · ') || '—'}
          </div>
        </section>
      </div>
      <CustomerTags tags={customer.tagDetails} history={customer.tagHistory} />
      <CustomerScores valueScore={customer.valueScore} behaviourScore={customer.behaviourScore} scoreFacts={customer.scoreFacts} />
      <CustomerTimeline customer={customer} />
      <CustomerActions
        id={customer.id}
        canUnmask={can(viewer?.role, 'customers.unmask')}
        canExport={can(viewer?.role, 'customers.export')}
        canErase={can(viewer?.role, 'customers.erase')}
      />
      <h2>{t('messages')}</h2>
      <table>
        <tbody>
          {customer.messages.map((m) => (
            <tr key={m.id}>
              <td>{format.dateTime(m.createdAt, { dateStyle: 'short', timeStyle: 'short' })}</td>
              <td>{t(`direction.${m.direction}`)}</td>
              <td>{m.body}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {customer.messages.length === 0 && <p className="muted">{t('noMessages')}</p>}
    </>
  );
}
