import { useFormatter, useTranslations } from 'next-intl';
import { describeFact, type Translate } from '@/components/settings/tags/describe';
import type { getCustomer } from '@/server/customers/service';
import type { TagReason } from '@/server/tags/rules';

type Customer = Awaited<ReturnType<typeof getCustomer>>;
const CATEGORIES = ['value', 'static', 'dynamic', 'preference'] as const;

/** The profile's tags grouped by category, each with who or what set it, why, when and until when; then every change. */
export function CustomerTags({ tags, history }: { tags: Customer['tagDetails']; history: Customer['tagHistory'] }) {
  const t = useTranslations('customers');
  const describe = useTranslations('tagRules.describe') as unknown as Translate;
  const format = useFormatter();
  const when = (d: Date | string) => format.dateTime(new Date(d), { dateStyle: 'medium', timeStyle: 'short' });
  const facts = (reason: TagReason | null) => reason?.facts?.map((f) => describeFact(f, describe)) ?? [];
  const why = (reason: TagReason | null) => [...facts(reason), ...(reason?.reason ? [t(`why.${reason.reason}`)] : []), ...(reason?.interactionId ? [t('why.contact')] : [])];
  return (
    <section className="card" data-testid="customer-tags">
      <h2>{t('tagsTitle')}</h2>
      {tags.length === 0 && <p className="muted">{t('noTags')}</p>}
      {CATEGORIES.map((category) => {
        const inCategory = tags.filter((tag) => tag.category === category);
        if (inCategory.length === 0) return null;
        return (
          <div key={category} data-testid={`tag-category-${category}`}>
            <h3>{t(`tagCategories.${category}`)}</h3>
            <ul className="tag-list">
              {inCategory.map((tag) => (
                <li key={tag.tag} data-testid="customer-tag" data-tag={tag.tag}>
                  <strong>{tag.tag}</strong> <span className="muted">
                    · {t(`tagSource.${tag.source}`)}
                    {tag.source === 'rule' && <> · {tag.ruleName ? t('byRule', { name: tag.ruleName }) : t('goneRule')}</>} · {t('since', { date: when(tag.createdAt) })}
                    {tag.expiresAt && <> · {t('expires', { date: when(tag.expiresAt) })}</>}
                  </span>
                  {facts(tag.facts).length > 0 && (
                    <div className="muted" data-testid="customer-tag-reason">
                      {t('matchedOn')}: {facts(tag.facts).join('; ')}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      <h3>{t('tagHistory')}</h3>
      {history.length === 0 ? (
        <p className="muted">{t('noTagHistory')}</p>
      ) : (
        <table data-testid="tag-history">
          <tbody>
            {history.map((change) => (
              <tr key={change.id}>
                <td>{when(change.at)}</td>
                <td>
                  {t(`change.${change.change}`)} <strong>{change.tag}</strong>
                </td>
                <td>
                  {t(`tagSource.${change.source}`)}
                  {change.ruleName && <> · {t('byRule', { name: change.ruleName })}</>}
                </td>
                <td className="muted">{why(change.facts).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
