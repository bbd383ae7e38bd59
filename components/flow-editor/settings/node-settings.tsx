'use client';

import { useTranslations } from 'next-intl';
import type { NodeDefinition } from '@/nodes/sdk';
import type { FlowNode } from '@/workflows/document';
import { useNodeText } from '../node-text';
import { portsOf } from '../registry-view';
import { configJsonSchema, localizeSchema } from './json-schema';
import { ObjectFields } from './schema-form';

export interface NodeSettingsProps {
  node: FlowNode;
  definition: NodeDefinition | undefined;
  /** Config field path → messages (from INVALID_CONFIG diagnostics). */
  fieldErrors?: ReadonlyMap<string, readonly string[]>;
  /** Every other diagnostic about the node. */
  messages?: readonly string[];
  onConfigChange(config: Record<string, unknown>): void;
  onLabelChange(label: string): void;
}

const NO_ERRORS: ReadonlyMap<string, readonly string[]> = new Map();

/** The settings form of one node, generated from its definition's zod schema. */
export function NodeSettings({ node, definition, fieldErrors = NO_ERRORS, messages = [], onConfigChange, onLabelChange }: NodeSettingsProps) {
  const t = useTranslations('editor');
  const text = useNodeText();
  if (!definition) {
    return (
      <div className="node-settings" data-testid="node-settings">
        <h2>{node.type}</h2>
        <p className="error">{t('unknownType', { type: node.type })}</p>
      </div>
    );
  }
  const schema = localizeSchema(configJsonSchema(definition), (path, key) => text.field(definition.type, path, key));
  const ports = portsOf(definition, node.config);
  return (
    <div className="node-settings" data-testid="node-settings" data-node-id={node.id}>
      <h2>
        <span className="node-icon" aria-hidden>
          {definition.icon}
        </span>{' '}
        {text.label(definition)}
      </h2>
      <p className="muted">{text.description(definition)}</p>
      <div className="field">
        <label htmlFor={`title-${node.id}`}>{t('nodeTitle')}</label>
        <input id={`title-${node.id}`} data-testid="node-title" value={node.label ?? ''} placeholder={text.label(definition)} onChange={(e) => onLabelChange(e.target.value)} />
        <div className="field-help">
          {t('nodeId')}: <code>{node.id}</code> · <span data-testid="node-version">{t('nodeVersion', { version: definition.version })}</span>
        </div>
      </div>
      {messages.length > 0 && (
        <ul className="node-messages">
          {messages.map((message) => (
            <li key={message} className="error">
              {message}
            </li>
          ))}
        </ul>
      )}
      <ObjectFields schema={schema} value={node.config} onChange={(config) => onConfigChange(config as Record<string, unknown>)} path={[]} errors={fieldErrors} />
      {ports.length > 0 && (
        <div className="field">
          <div className="field-label">{t('outputs')}</div>
          <ul className="port-list">
            {ports.map((port) => (
              <li key={port.id}>
                {text.port(definition, port)} <code>{port.id}</code> {port.required ? '' : <span className="muted">({t('optional')})</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
