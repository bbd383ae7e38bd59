'use client';

import { useTranslations } from 'next-intl';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const COLORS = ['#2f6fed', '#e0782b', '#1f8a4c', '#9b51e0'];

/** Cumulative exposures per variant and day: the lines should keep the planned split. */
export function ExposuresChart({ arms }: { arms: { name: string; daily: { day: string; exposures: number }[] }[] }) {
  const t = useTranslations('experiments.detail');
  const days = [...new Set(arms.flatMap((a) => a.daily.map((d) => d.day)))].sort();
  if (days.length === 0) return <p className="muted">{t('noExposures')}</p>;
  const running = arms.map(() => 0);
  const data = days.map((day) => {
    const point: Record<string, string | number> = { day: day.slice(0, 10) };
    arms.forEach((arm, i) => {
      running[i] = (running[i] ?? 0) + (arm.daily.find((d) => d.day === day)?.exposures ?? 0);
      point[arm.name] = running[i] ?? 0;
    });
    return point;
  });
  return (
    <div className="exp-chart" data-testid="exposures-chart" role="img" aria-label={t('chartLabel')}>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ef" />
          <XAxis dataKey="day" fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} />
          <Tooltip />
          <Legend />
          {arms.map((arm, i) => (
            <Line key={arm.name} type="monotone" dataKey={arm.name} stroke={COLORS[i % COLORS.length]} strokeWidth={2} dot={days.length < 20} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
