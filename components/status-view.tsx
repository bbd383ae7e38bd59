import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { DatabaseHealth } from '@/server/routers/system';
import type { TemporalHealth } from '@/temporal/client';
import { AREAS, type Area } from './areas';

export interface StatusViewProps {
  database: DatabaseHealth;
  temporal: TemporalHealth & { uiUrl?: string };
  telephony: 'sandbox' | 'twilio';
  checkedAt: Date;
  /** The areas to link to; the page passes those the viewer's role may open. */
  areas?: readonly Area[];
}

function Health({ ok }: { ok: boolean }) {
  const t = useTranslations('status');
  return <span className={`badge ${ok ? 'ok' : 'bad'}`}>{ok ? t('healthy') : t('unhealthy')}</span>;
}

/** The status page body; pure so Storybook and tests can render every state. */
export function StatusView({ database, temporal, telephony, checkedAt, areas = AREAS }: StatusViewProps) {
  const t = useTranslations();
  return (
    <>
      <h1>{t('status.title')}</h1>
      <div className="cards">
        <section className="card" data-testid="health-database" aria-label={t('status.database')}>
          <h2>
            {t('status.database')} <Health ok={database.ok} />
          </h2>
          {database.ok ? (
            <div className="muted">
              {database.kind} · {database.location} · {database.serverVersion}
            </div>
          ) : (
            <div className="error">{database.error}</div>
          )}
        </section>
        <section className="card" data-testid="health-temporal" aria-label={t('status.temporal')}>
          <h2>
            {t('status.temporal')} <Health ok={temporal.ok} />
          </h2>
          <div className="muted">
            {temporal.address} · {temporal.namespace}
            {temporal.serverVersion ? ` · ${temporal.serverVersion}` : ''}
          </div>
          {!temporal.ok && <div className="error">{temporal.error}</div>}
          {temporal.uiUrl && (
            <a href={temporal.uiUrl} target="_blank" rel="noreferrer">
              {t('status.openTemporalUi')}
            </a>
          )}
        </section>
        <section className="card" data-testid="health-telephony">
          <h2>{t('status.telephony')}</h2>
          <div className="muted">{t(`status.${telephony}`)}</div>
        </section>
      </div>
      <p className="muted">{t('status.checkedAt', { time: checkedAt.toISOString() })}</p>
      <h1>{t('status.areas')}</h1>
      <div className="cards">
        {areas.map((area) => (
          <Link key={area} href={`/${area}`} className="card">
            <h2>{t(`nav.${area}`)}</h2>
            <div className="muted">{t(`areas.${area}`)}</div>
          </Link>
        ))}
      </div>
    </>
  );
}
