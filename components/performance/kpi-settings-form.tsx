'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { type FormEvent, useState } from 'react';
import { ErrorNotice } from '@/components/settings/routing/shared';
import { useTRPC } from '@/components/trpc-provider';
import { DEFAULT_KPI_SETTINGS, KPI_SETTING_BOUNDS, type KpiSettings } from '@/server/analytics/kpis';
import './performance.css';

type Key = keyof KpiSettings;
type Unit = 'seconds' | 'percent' | 'hours' | 'days' | 'score';

/** The form's groups, and each setting's unit (targets that are shares are edited in percent). */
const GROUPS: { id: 'serviceLevel' | 'containment' | 'fcr' | 'csat'; fields: [Key, Unit][] }[] = [
  {
    id: 'serviceLevel',
    fields: [
      ['defaultServiceLevelSeconds', 'seconds'],
      ['serviceLevelTarget', 'percent'],
      ['shortAbandonSeconds', 'seconds'],
      ['abandonmentTarget', 'percent'],
      ['answerSecondsTarget', 'seconds'],
    ],
  },
  {
    id: 'containment',
    fields: [
      ['containmentRepeatHours', 'hours'],
      ['containmentTarget', 'percent'],
    ],
  },
  {
    id: 'fcr',
    fields: [
      ['fcrRepeatDays', 'days'],
      ['fcrTarget', 'percent'],
    ],
  },
  {
    id: 'csat',
    fields: [
      ['csatTarget', 'score'],
      ['csatSatisfiedAt', 'score'],
    ],
  },
];

const scale = (unit: Unit) => (unit === 'percent' ? 100 : 1);
const shown = (value: number, unit: Unit) => Number((value * scale(unit)).toFixed(4));

/** `/settings/kpis`: the thresholds and targets behind the performance figures (admins). */
export function KpiSettingsForm() {
  const t = useTranslations('performance.settings');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.analytics.settings.queryOptions());
  const [formKey, setFormKey] = useState(0);
  const [values, setValues] = useState<KpiSettings>();
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.analytics.saveSettings.mutationOptions({
      onSuccess: async (next) => {
        queryClient.setQueryData(trpc.analytics.settings.queryKey(), next);
        await queryClient.invalidateQueries({ queryKey: trpc.analytics.pathKey() });
        setValues(undefined);
        setFormKey((k) => k + 1);
        setSaved(true);
      },
    }),
  );
  const settings = values ?? current.data;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const input = { ...DEFAULT_KPI_SETTINGS };
    for (const group of GROUPS) for (const [key, unit] of group.fields) input[key] = Number((Number(form.get(key)) / scale(unit)).toFixed(6));
    save.mutate(input);
  }

  if (current.isPending) return <p className="muted" role="status">{t('loading')}</p>;
  if (current.error) return <ErrorNotice error={current.error} />;
  const labels = Object.fromEntries(GROUPS.flatMap((g) => g.fields.map(([key]) => [key, t(`fields.${key}.label`)])));
  return (
    <form key={formKey} className="card settings-form kpi-settings" method="post" onSubmit={submit} onChange={() => setSaved(false)} aria-label={t('title')} data-testid="kpi-settings">
      {GROUPS.map((group) => (
        <fieldset key={group.id}>
          <legend>{t(`groups.${group.id}`)}</legend>
          {group.fields.map(([key, unit]) => {
            const bounds = KPI_SETTING_BOUNDS[key];
            return (
              <div key={key} className="field">
                <label htmlFor={`kpi-${key}`}>{t(`fields.${key}.label`)}</label>
                <span className="field-input">
                  <input
                    id={`kpi-${key}`}
                    name={key}
                    type="number"
                    required
                    min={shown(bounds.min, unit)}
                    max={shown(bounds.max, unit)}
                    step={shown(bounds.step, unit)}
                    defaultValue={settings ? shown(settings[key], unit) : undefined}
                    aria-describedby={`kpi-${key}-help`}
                    data-testid={`kpi-setting-${key}`}
                  />
                  <span className="muted">{t(`units.${unit}`)}</span>
                </span>
                <span id={`kpi-${key}-help`} className="field-help">
                  {t(`fields.${key}.help`)} {t('bounds', { min: shown(bounds.min, unit), max: shown(bounds.max, unit), default: shown(DEFAULT_KPI_SETTINGS[key], unit) })}
                </span>
              </div>
            );
          })}
        </fieldset>
      ))}
      <ErrorNotice error={save.error} labels={labels} />
      {saved && (
        <p className="form-success" role="status" data-testid="kpi-settings-saved">
          {t('saved')}
        </p>
      )}
      <div className="form-buttons">
        <button className="primary" type="submit" disabled={save.isPending} data-testid="kpi-settings-save">
          {save.isPending ? t('saving') : t('save')}
        </button>
        <button
          type="button"
          onClick={() => {
            setValues(DEFAULT_KPI_SETTINGS);
            setSaved(false);
            setFormKey((k) => k + 1);
          }}
        >
          {t('reset')}
        </button>
      </div>
    </form>
  );
}
