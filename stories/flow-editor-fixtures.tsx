import { type ReactNode, useState } from 'react';
import { diagnosticsView } from '@/components/flow-editor/diagnostics-view';
import { NodeCardView } from '@/components/flow-editor/node-card';
import { configJsonSchema } from '@/components/flow-editor/settings/json-schema';
import { NodeSettings } from '@/components/flow-editor/settings/node-settings';
import { PickerContext, RichEditorsContext } from '@/components/flow-editor/settings/pickers';
import { getDefinition } from '@/nodes/registry';
import type { NodeDefinition } from '@/nodes/sdk';
import type { FlowNode } from '@/workflows/document';

export const pickerFixtures = {
  tags: [
    { name: 'vip', description: 'Top-tier customers' },
    { name: 'elderly', description: 'Gets slower prompts' },
    { name: 'complaint-risk', description: 'Recent complaints' },
  ],
  skills: [
    { id: 'billing', name: 'Billing' },
    { id: 'general', name: 'General' },
    { id: 'escalation', name: 'Escalation' },
  ],
};

export function EditorFixtures({ children }: { children: ReactNode }) {
  return (
    <RichEditorsContext.Provider value={false}>
      <PickerContext.Provider value={pickerFixtures}>
        <div style={{ padding: 24, maxWidth: 420 }}>{children}</div>
      </PickerContext.Provider>
    </RichEditorsContext.Provider>
  );
}

function definitionOf(type: string): NodeDefinition {
  const definition = getDefinition(type);
  if (!definition) throw new Error(`no node type ${type}`);
  return definition;
}

export function nodeOf(type: string, config?: Record<string, unknown>, label?: string): FlowNode {
  const definition = definitionOf(type);
  return {
    id: `${type}-1`,
    type,
    typeVersion: definition.version,
    position: { x: 0, y: 0 },
    ...(label && { label }),
    config: config ?? structuredClone(definition.defaults as Record<string, unknown>),
  };
}

/**
 * The defaults with every required text emptied and every required list cleared: what a half-filled
 * form looks like. A type with nothing required gets a choice no option of its has instead.
 */
export function invalidConfig(type: string): Record<string, unknown> {
  const definition = definitionOf(type);
  const schema = configJsonSchema(definition);
  const config = structuredClone(definition.defaults as Record<string, unknown>);
  for (const key of schema.required ?? []) {
    const field = schema.properties?.[key];
    if (field?.type === 'string') config[key] = '';
    else if (field?.type === 'array') config[key] = [];
  }
  if (definition.configSchema.safeParse(config).success) {
    const choice = Object.entries(schema.properties ?? {}).find(([, field]) => Array.isArray(field.enum));
    if (choice) config[choice[0]] = 'not-an-option';
  }
  return config;
}

/** A card as the canvas shows it, with the diagnostics the compiler gives a lone node. */
export function CardStory({ type, state }: { type: string; state: 'valid' | 'invalid' | 'selected' }) {
  const node = nodeOf(type, state === 'invalid' ? invalidConfig(type) : undefined);
  const view = state === 'invalid' ? diagnosticsView({ format: 'switchboard.flow/1', name: 'Story', nodes: [node], edges: [] }) : undefined;
  return (
    <div style={{ padding: 24 }}>
      <NodeCardView
        node={node}
        definition={definitionOf(type)}
        selected={state === 'selected'}
        issues={view?.nodeIssues.get(node.id)}
        openPorts={view?.openPorts.get(node.id)}
        interactive={false}
      />
    </div>
  );
}

/**
 * The generated settings form of a node type, editable; `invalid` shows the field errors the
 * compiler reports, `config` sets fields over the defaults.
 */
export function SettingsStory(props: SettingsStoryProps) {
  // A new node when the story's args change (Storybook's controls), not the edited one.
  return <EditableSettings key={JSON.stringify(props)} {...props} />;
}

interface SettingsStoryProps {
  type: string;
  invalid?: boolean;
  config?: Record<string, unknown>;
}

function EditableSettings({ type, invalid = false, config }: SettingsStoryProps) {
  const [node, setNode] = useState(() => nodeOf(type, invalid ? invalidConfig(type) : config && { ...structuredClone(definitionOf(type).defaults as Record<string, unknown>), ...config }));
  const view = invalid ? diagnosticsView({ format: 'switchboard.flow/1', name: 'Story', nodes: [node], edges: [] }) : undefined;
  return (
    <EditorFixtures>
      <NodeSettings
        node={node}
        definition={definitionOf(type)}
        fieldErrors={view?.fieldErrors.get(node.id)}
        onConfigChange={(next) => setNode((current) => ({ ...current, config: next }))}
        onLabelChange={(label) => setNode((current) => ({ ...current, label }))}
      />
    </EditorFixtures>
  );
}
