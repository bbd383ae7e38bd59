import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import type { getCustomer } from '@/server/customers/service';

type Customer = Awaited<ReturnType<typeof getCustomer>>;

interface Entry {
  key: string;
  at: Date;
  kind: 'call' | 'conversation' | 'message' | 'handoff' | 'order' | 'tag';
  text: string;
  detail?: string;
  href?: string;
}

/** Everything that happened with the customer across channels, newest first: contacts (linking to their transcript), messages, handoffs, orders and tag changes. */
export function CustomerTimeline({ customer }: { customer: Customer }) {
  const t = useTranslations('customers.timeline');
  const contactStatus = useTranslations('executions.statusLabel');
  const handoffStatus = useTranslations('inbox.status');
  const format = useFormatter();
  const entries: Entry[] = [
    ...customer.interactions.map((i) => ({
      key: `i-${i.id}`,
      at: new Date(i.startedAt),
      kind: i.channel === 'voice' ? ('call' as const) : ('conversation' as const),
      text: t(i.channel === 'voice' ? 'call' : 'conversation', { status: contactStatus(i.status) }),
      detail: [i.emotionLabel ? t('emotion', { label: i.emotionLabel }) : '', i.isTest ? t('testRun') : ''].filter(Boolean).join(' · '),
      href: i.flowId ? `/flows/${i.flowId}/executions/${i.id}` : undefined,
    })),
    ...customer.messages.map((m) => ({
      key: `m-${m.id}`,
      at: new Date(m.createdAt),
      kind: 'message' as const,
      text: t(m.direction === 'inbound' ? 'messageIn' : 'messageOut'),
      detail: m.body,
    })),
    ...customer.handoffs.map((h) => ({
      key: `h-${h.id}`,
      at: new Date(h.createdAt),
      kind: 'handoff' as const,
      text: t('handoff', { skill: h.skill, status: handoffStatus(h.status) }),
      detail: [h.wrapCode ? t('wrapUp', { code: h.wrapCode }) : '', h.summary].filter(Boolean).join(' · '),
    })),
    ...customer.orders.map((o) => ({
      key: `o-${o.id}`,
      at: new Date(o.placedAt),
      kind: 'order' as const,
      text: t('order', { amount: format.number(o.amount, { style: 'currency', currency: o.currency }) }),
      detail: [o.externalId, o.status].join(' · '),
    })),
    ...customer.tagHistory.map((c) => ({
      key: `t-${c.id}`,
      at: new Date(c.at),
      kind: 'tag' as const,
      text: t(c.change === 'added' ? 'tagAdded' : 'tagRemoved', { tag: c.tag }),
      detail: c.ruleName ?? undefined,
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime() || a.key.localeCompare(b.key));
  return (
    <section className="card" data-testid="customer-timeline">
      <h2>{t('title')}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('empty')}</p>
      ) : (
        <table>
          <tbody>
            {entries.map((e) => (
              <tr key={e.key} data-testid="timeline-entry" data-kind={e.kind}>
                <td className="muted">{format.dateTime(e.at, { dateStyle: 'medium', timeStyle: 'short' })}</td>
                <td>{e.href ? <Link href={e.href}>{e.text}</Link> : e.text}</td>
                <td className="muted">{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
