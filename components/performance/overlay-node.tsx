'use client';

import { useLocale, useTranslations } from 'next-intl';
import { formatDuration } from '@/components/executions/status-badge';
import { NodeCardView } from '@/components/flow-editor/node-card';
import { getDefinition } from '@/nodes/registry';
import { formatKpiValue } from '@/server/analytics/kpis';
import type { NodeFigures } from '@/server/analytics/queries';
import type { FlowNode } from '@/workflows/document';
import './performance.css';

export type DropTone = 'green' | 'amber' | 'red' | 'idle';

/** The share of the contacts that reached the node who hung up there; null when none reached it. */
export function dropShare(figures: NodeFigures | undefined): number | null {
  return figures && figures.contacts > 0 ? figures.dropOffs / figures.contacts : null;
}

/** Green under 5 %, amber under 15 %, red from 15 %; idle when no contact reached the node. */
export function dropTone(figures: NodeFigures | undefined): DropTone {
  const share = dropShare(figures);
  return share === null ? 'idle' : share < 0.05 ? 'green' : share < 0.15 ? 'amber' : 'red';
}

export const percentText = (share: number, locale: string) => formatKpiValue({ unit: 'rate', value: share }, locale);
/** 850 ms, 6.3 s, 2:05 (compact, for the card). */
export const durationText = (ms: number | null) => (ms === null ? '—' : ms < 60_000 ? formatDuration(ms) : formatKpiValue({ unit: 'seconds', value: ms / 1000 }));

/** A node of the overlay: its card with entries, drop-offs (count and share), p50 / p90 time and errors. */
export function OverlayNodeView({ node, figures, selected = false, interactive = true }: { node: FlowNode; figures: NodeFigures | undefined; selected?: boolean; interactive?: boolean }) {
  const t = useTranslations('performance.overlay');
  const locale = useLocale();
  const share = dropShare(figures);
  const tone = dropTone(figures);
  const n = (value: number) => value.toLocaleString(locale);
  return (
    <div className={`overlay-node overlay-${tone}`} data-testid={`overlay-node-${node.id}`} data-tone={tone} title={t(`legend.${tone}`)}>
      <NodeCardView node={node} definition={getDefinition(node.type, node.typeVersion)} selected={selected} interactive={interactive} />
      <dl className="overlay-figures">
        <div>
          <dt>{t('entries')}</dt>
          <dd data-testid={`overlay-entries-${node.id}`}>{n(figures?.entries ?? 0)}</dd>
        </div>
        <div>
          <dt>{t('dropped')}</dt>
          <dd>
            {n(figures?.dropOffs ?? 0)}
            {share !== null && <span className="overlay-share"> · {percentText(share, locale)}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('time')}</dt>
          <dd>
            {durationText(figures?.p50Ms ?? null)} / {durationText(figures?.p90Ms ?? null)}
          </dd>
        </div>
        <div className={figures && figures.errors > 0 ? 'overlay-errors' : undefined}>
          <dt>{t('errors')}</dt>
          <dd>{n(figures?.errors ?? 0)}</dd>
        </div>
      </dl>
    </div>
  );
}
