'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { HandoffContext } from './types';

const CATEGORIES = ['value', 'static', 'dynamic', 'preference'] as const;

/** Everything the flow knew about the contact: profile and tags, emotion and its trend, reason, path, history. */
export function ContextPanel({ context }: { context: HandoffContext }) {
  const t = useTranslations('inbox.context');
  const { customer, emotion, handoff, interaction } = context;
  return (
    <aside className="inbox-context" aria-label={t('title')} data-testid="inbox-context">
      {emotion.upset && (
        <p className="inbox-upset" role="alert" data-testid="inbox-emotion-warning">
          {t('upsetWarning')}
        </p>
      )}
      <section>
        <h3>{t('customer')}</h3>
        {customer ? (
          <>
            <div className="inbox-customer-name" data-testid="inbox-customer">
              {customer.name ?? t('unnamed')} <span className="muted">· {customer.locale}</span>
            </div>
            <ul className="inbox-identities">
              {customer.identities.map((identity) => (
                <li key={`${identity.kind}-${identity.value}`}>
                  <span className="muted">{t(`identity.${identity.kind}`)}</span> {identity.value}
                </li>
              ))}
            </ul>
            <div className="muted">{t('scores', { value: customer.valueScore.toFixed(2), behaviour: customer.behaviourScore.toFixed(2) })}</div>
            <dl className="inbox-tags" data-testid="inbox-tags">
              {CATEGORIES.filter((c) => customer.tagsByCategory[c]?.length).map((category) => (
                <div key={category}>
                  <dt>{t(`category.${category}`)}</dt>
                  <dd>
                    {customer.tagsByCategory[category]?.map((tag) => (
                      <span key={tag} className={`inbox-tag tag-${category}`}>
                        {tag}
                      </span>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          </>
        ) : (
          <p className="muted">{t('noCustomer')}</p>
        )}
      </section>
      <section data-testid="inbox-emotion">
        <h3>{t('emotion')}</h3>
        {emotion.score === null ? (
          <p className="muted">{t('noEmotion')}</p>
        ) : (
          <>
            <div className={`inbox-emotion-now ${emotion.upset ? 'upset' : ''}`}>
              {t(`label.${emotion.label ?? 'neutral'}`)} ({emotion.score.toFixed(2)})
              {emotion.direction && <span className="muted"> · {t(`trend.${emotion.direction}`)}</span>}
            </div>
            {emotion.trend.length > 0 && (
              <ol className="inbox-trend" aria-label={t('trendTitle')}>
                {emotion.trend.map((point) => (
                  <li key={point.seq} title={point.nodeId} className={point.label === 'upset' ? 'upset' : ''}>
                    <span className="inbox-trend-bar" style={{ height: `${Math.round((point.score + 1) * 20) + 4}px` }} />
                    <span className="muted">{point.score.toFixed(1)}</span>
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </section>
      <section>
        <h3>{t('reason')}</h3>
        <p data-testid="inbox-reason">{handoff.reason || '—'}</p>
        {handoff.summary && <p className="muted">{handoff.summary}</p>}
        <p className="muted">
          {t('queue', { skill: handoff.skill, priority: handoff.priority })}
          {handoff.urgent && <span className="badge bad"> {t('urgent')}</span>}
        </p>
      </section>
      <section>
        <h3>{t('path')}</h3>
        {context.path.length === 0 && <p className="muted">—</p>}
        <ol className="inbox-path">
          {context.path.map((step) => (
            <li key={step.seq}>
              {step.nodeId} <span className="muted">{step.port ? `→ ${step.port}` : ''}</span>
            </li>
          ))}
        </ol>
        {interaction?.executionHref && (
          <Link href={interaction.executionHref} target="_blank" data-testid="inbox-execution-link">
            {t('execution')}
          </Link>
        )}
      </section>
      {context.history.some((h) => h.note) && (
        <section>
          <h3>{t('history')}</h3>
          <ul>
            {context.history
              .filter((h) => h.note)
              .map((h, i) => (
                <li key={i}>
                  <span className="muted">
                    {h.kind} · {h.agentName ?? '—'}:
                  </span>{' '}
                  {h.note}
                </li>
              ))}
          </ul>
        </section>
      )}
    </aside>
  );
}
