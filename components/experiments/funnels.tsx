'use client';

import { useTranslations } from 'next-intl';
import type { FunnelData } from './shared';

/** Each variant's per-node figures side by side, the nodes in the order of its document. */
export function Funnels({ funnels }: { funnels: FunnelData[] }) {
  const t = useTranslations('experiments.funnels');
  return (
    <div className="exp-funnels" data-testid="experiment-funnels">
      {funnels.map((f) => {
        const figures = new Map(f.nodes.map((n) => [n.nodeId, n]));
        const order = f.document?.nodes ?? f.nodes.map((n) => ({ id: n.nodeId, label: undefined }));
        return (
          <section key={f.variantId} className="card exp-funnel" data-testid={`funnel-${f.name}`}>
            <h3>{t('heading', { name: f.name, version: f.version, contacts: f.contacts })}</h3>
            <table>
              <thead>
                <tr>
                  <th>{t('node')}</th>
                  <th className="num">{t('entries')}</th>
                  <th className="num">{t('dropOffs')}</th>
                  <th>{t('exits')}</th>
                </tr>
              </thead>
              <tbody>
                {order.map((node) => {
                  const n = figures.get(node.id);
                  const exits = Object.entries(n?.exits ?? {});
                  return (
                    <tr key={node.id} className={n ? undefined : 'exp-unvisited'}>
                      <td title={node.id}>{node.label || node.id}</td>
                      <td className="num">{n?.entries ?? 0}</td>
                      <td className="num">{n?.dropOffs ?? 0}</td>
                      <td className="exp-exits">{exits.length ? exits.map(([port, count]) => `${port} ${count}`).join(' · ') : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
