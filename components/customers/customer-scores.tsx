import { useFormatter, useTranslations } from 'next-intl';
import { describeFact, type Translate } from '@/components/settings/tags/describe';
import { signed, termFacts, WHICH, type Which } from '@/components/settings/tags/score-words';
import { type RecordedFact, scoreFormulaSchema } from '@/server/tags/rules';

/** What a computed score recorded, when `score_facts` holds a readable one for it. */
function explanation(scoreFacts: unknown, which: Which) {
  const entry = scoreFacts && typeof scoreFacts === 'object' ? (scoreFacts as Record<string, unknown>)[which] : undefined;
  if (!entry || typeof entry !== 'object') return undefined;
  const { formula, facts, at } = entry as { formula?: unknown; facts?: unknown; at?: unknown };
  const parsed = scoreFormulaSchema.safeParse(formula);
  if (!parsed.success) return undefined;
  const date = typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? new Date(at) : undefined;
  return { formula: parsed.data, facts: Array.isArray(facts) ? (facts as RecordedFact[]) : [], at: date };
}

/**
 * The profile's value and behaviour scores and how each was computed: the formula's base and each
 * term's figure and what it added, or that the score was set by hand or by import.
 */
export function CustomerScores({ valueScore, behaviourScore, scoreFacts }: { valueScore: number; behaviourScore: number; scoreFacts: unknown }) {
  const t = useTranslations('scoreFormulas');
  const describe = useTranslations('tagRules.describe') as unknown as Translate;
  const format = useFormatter();
  const num = (n: number) => format.number(n, { maximumFractionDigits: 2 });
  const scores: Record<Which, number> = { value: valueScore, behaviour: behaviourScore };
  return (
    <section className="card" data-testid="customer-scores">
      <h2>{t('profile.title')}</h2>
      {WHICH.map((which) => {
        const how = explanation(scoreFacts, which);
        return (
          <div key={which} data-testid={`customer-score-${which}`}>
            <h3>
              {t(`names.${which}`)}: {num(scores[which])}
            </h3>
            {how ? (
              <>
                <p className="muted">{t('profile.computed', { date: how.at ? format.dateTime(how.at, { dateStyle: 'medium', timeStyle: 'short' }) : '—' })}</p>
                <ul>
                  <li>{t('profile.base', { base: num(how.formula.base) })}</li>
                  {termFacts(how.formula, how.facts).map((row, i) => (
                    <li key={i}>{t('profile.term', { fact: describeFact(row.fact, describe), contribution: signed(row.contribution, num) })}</li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="muted">{t('profile.byHand')}</p>
            )}
          </div>
        );
      })}
    </section>
  );
}
