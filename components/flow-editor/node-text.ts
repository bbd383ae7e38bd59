'use client';

import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import type { NodeDefinition, PortDef } from '@/nodes/sdk';

/**
 * A node type's user-facing words in the viewer's language. Built-in types are translated in the
 * message files (`nodeTypes.<type>`); a custom type without entries shows its definition's text.
 */
export function useNodeText() {
  const t = useTranslations('nodeTypes');
  return useMemo(() => {
    const text = (key: string, fallback: string) => (t.has(key) ? t(key) : fallback);
    return {
      label: (definition: Pick<NodeDefinition, 'type' | 'label'>) => text(`${definition.type}.label`, definition.label),
      description: (definition: Pick<NodeDefinition, 'type' | 'description'>) => text(`${definition.type}.description`, definition.description),
      port: (definition: Pick<NodeDefinition, 'type'>, port: PortDef) => text(`${definition.type}.ports.${port.id}`, port.label),
      /** What a newer version changes, for the upgrade offer. */
      upgrade: (type: string, changes: string) => text(`${type}.upgrade`, changes),
      /** A config field's title or description; raw, since help texts show `{{…}}` variables literally. */
      field: (type: string, path: string, key: 'title' | 'description') => {
        const id = `${type}.fields.${path}.${key}`;
        return t.has(id) ? String(t.raw(id)) : undefined;
      },
    };
  }, [t]);
}
