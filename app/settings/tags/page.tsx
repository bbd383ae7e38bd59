import { getTranslations } from 'next-intl/server';
import { ScoreFormulasAdmin } from '@/components/settings/tags/score-formulas';
import { TagRulesAdmin } from '@/components/settings/tags/tag-rules';

export const dynamic = 'force-dynamic';

/** Tag rules (admins: `/settings/tags` needs `settings.manage`, as every procedure behind it). */
export default async function TagRulesPage() {
  const t = await getTranslations('tagRules');
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <TagRulesAdmin />
      <ScoreFormulasAdmin />
    </>
  );
}
