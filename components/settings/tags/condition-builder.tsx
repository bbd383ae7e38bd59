'use client';

import { useTranslations } from 'next-intl';
import { useState, type ReactNode } from 'react';
import { COMPARISONS, COUNTED } from '@/server/tags/rules';
import { OP_KEYS } from './describe';
import {
  addChild,
  ATTRIBUTE_OPS,
  type AttributeOp,
  type Counted,
  type DraftIssue,
  type Fact,
  FACTS,
  GROUP_MODES,
  type GroupMode,
  type GroupNode,
  type LeafDraft,
  type LeafNode,
  newGroup,
  newLeaf,
  numbering,
  removeNode,
  setGroupMode,
  splitKeywords,
  updateLeaf,
} from './draft';

/** The message key of each fact's number input label ("Times", "Amount", "Years" …). */
const VALUE_LABELS: Record<Fact, string> = {
  attribute: 'value',
  score: 'scoreValue',
  tag: 'value',
  count: 'howMany',
  spend: 'amount',
  keyword: 'times',
  'days-since-last-order': 'days',
  age: 'years',
};

const MODE_KEYS: Record<GroupMode, string> = { all: 'allOf', any: 'anyOf', none: 'noneOf' };
const COUNTED_KEYS: Record<Counted, string> = { orders: 'orders', interactions: 'interactions', 'upset-contacts': 'upsetContacts', events: 'events' };

interface Props {
  value: GroupNode;
  onChange: (value: GroupNode) => void;
  /** Issues to show beside their group or row (after the first attempt to save or preview). */
  issues: DraftIssue[];
}

/**
 * The condition as a tree: groups (All of / Any of / None of) holding rows and further groups.
 * Each row picks a fact and shows only the inputs that fact needs. Every control is a labelled
 * input, select or button; a row is a `group` named "Condition 2.1", a group a fieldset.
 */
export function ConditionBuilder({ value, onChange, issues }: Props) {
  const t = useTranslations('tagRules.builder');
  const numbers = numbering(value);
  /** The row or group just added, whose first control takes the focus. */
  const [added, setAdded] = useState<string>();
  const byNode = new Map<string, DraftIssue[]>();
  for (const issue of issues) if (issue.nodeId) byNode.set(issue.nodeId, [...(byNode.get(issue.nodeId) ?? []), issue]);

  const add = (groupId: string, kind: 'leaf' | 'group') => {
    const child = kind === 'leaf' ? newLeaf() : newGroup('any');
    setAdded(child.id);
    onChange(addChild(value, groupId, child));
  };

  const renderGroup = (group: GroupNode): ReactNode => {
    const n = numbers.get(group.id) ?? '';
    const top = group.id === value.id;
    const legend = top ? t('condition') : t('groupN', { n });
    const groupIssues = byNode.get(group.id) ?? [];
    const errorId = `${group.id}-errors`;
    return (
      <fieldset className={`condition-group${groupIssues.length ? ' invalid' : ''}`} data-testid={top ? 'condition-root' : 'condition-group'} aria-describedby={groupIssues.length ? errorId : undefined}>
        <legend>{legend}</legend>
        <div className="group-head">
          <label className="field">
            <span className="field-label">{t('match')}</span>
            <select
              value={group.mode}
              aria-label={top ? t('match') : t('matchN', { n })}
              autoFocus={added === group.id}
              onChange={(e) => onChange(setGroupMode(value, group.id, e.target.value as GroupMode))}
            >
              {GROUP_MODES.map((mode) => (
                <option key={mode} value={mode}>
                  {t(`modes.${MODE_KEYS[mode]}`)}
                </option>
              ))}
            </select>
          </label>
          <span className="field-help">{t(`modeHelp.${MODE_KEYS[group.mode]}`)}</span>
          {!top && (
            <button type="button" className="danger" aria-label={t('removeGroupN', { n })} onClick={() => onChange(removeNode(value, group.id))}>
              {t('removeGroup')}
            </button>
          )}
        </div>
        {groupIssues.length > 0 && (
          <div id={errorId} className="field-error">
            {groupIssues.map((issue, i) => (
              <div key={i}>{issue.message}</div>
            ))}
          </div>
        )}
        {group.children.length === 0 ? (
          <p className="muted">{t('emptyGroup')}</p>
        ) : (
          <ol className="condition-list">
            {group.children.map((child) => (
              <li key={child.id}>{child.type === 'group' ? renderGroup(child) : renderLeaf(child)}</li>
            ))}
          </ol>
        )}
        <div className="form-buttons">
          <button type="button" aria-label={top ? t('addCondition') : t('addConditionTo', { n })} onClick={() => add(group.id, 'leaf')}>
            + {t('addCondition')}
          </button>
          <button type="button" aria-label={top ? t('addGroup') : t('addGroupTo', { n })} onClick={() => add(group.id, 'group')}>
            + {t('addGroup')}
          </button>
        </div>
      </fieldset>
    );
  };

  const renderLeaf = (node: LeafNode): ReactNode => {
    const n = numbers.get(node.id) ?? '';
    const rowIssues = byNode.get(node.id) ?? [];
    return (
      <LeafRow
        node={node}
        label={t('conditionN', { n })}
        removeLabel={t('removeConditionN', { n })}
        issues={rowIssues}
        autoFocus={added === node.id}
        onChange={(patch) => onChange(updateLeaf(value, node.id, patch))}
        onRemove={() => onChange(removeNode(value, node.id))}
      />
    );
  };

  return renderGroup(value);
}

interface RowProps {
  node: LeafNode;
  label: string;
  removeLabel: string;
  issues: DraftIssue[];
  autoFocus: boolean;
  onChange: (patch: Partial<LeafDraft>) => void;
  onRemove: () => void;
}

function LeafRow({ node, label, removeLabel, issues, autoFocus, onChange, onRemove }: RowProps) {
  const t = useTranslations('tagRules.builder');
  const td = useTranslations('tagRules.describe');
  const leaf = node.leaf;
  const id = (field: string) => `${node.id}-${field}`;
  const errorId = `${node.id}-errors`;
  const invalid = (field: string) => issues.some((i) => i.leafField === field);
  /** A labelled control: `aria-invalid` when an issue names its field. */
  const field = (name: string, text: string, control: ReactNode, help?: ReactNode) => (
    <div className={`field${invalid(name) ? ' invalid' : ''}`}>
      <label className="field-label" htmlFor={id(name)}>
        {text}
      </label>
      {control}
      {help}
    </div>
  );
  const common = (name: string) => ({ id: id(name), 'aria-invalid': invalid(name) || undefined, 'aria-describedby': issues.length ? errorId : undefined });
  const numberInput = (name: 'value' | 'withinDays', props: { min?: number; max?: number; step?: number | 'any' } = {}) => (
    <input {...common(name)} type="number" inputMode={props.step === 'any' || (props.step ?? 1) < 1 ? 'decimal' : 'numeric'} min={props.min ?? 0} max={props.max} step={props.step ?? 1} value={leaf[name]} onChange={(e) => onChange({ [name]: e.target.value })} />
  );
  const opSelect = (
    <select {...common('op')} value={leaf.op} onChange={(e) => onChange({ op: e.target.value as LeafDraft['op'] })}>
      {COMPARISONS.map((op) => (
        <option key={op} value={op}>
          {td(`ops.${OP_KEYS[op]}`)}
        </option>
      ))}
    </select>
  );
  const comparison = (valueProps?: Parameters<typeof numberInput>[1]) => (
    <>
      {field('op', t('op'), opSelect)}
      {field('value', t(`valueLabels.${VALUE_LABELS[leaf.fact]}`), numberInput('value', valueProps))}
    </>
  );
  const within = field('withinDays', t('withinDays'), numberInput('withinDays', { min: 1, max: 3650 }));
  const keywords = splitKeywords(leaf.keywords);

  return (
    <div role="group" aria-label={label} className={`condition-row${issues.length ? ' invalid' : ''}`} data-testid="condition-row">
      <div className="condition-fields">
        {field(
          'fact',
          t('fact'),
          <select {...common('fact')} value={leaf.fact} autoFocus={autoFocus} onChange={(e) => onChange({ fact: e.target.value as Fact })}>
            {FACTS.map((fact) => (
              <option key={fact} value={fact}>
                {t(`facts.${fact}`)}
              </option>
            ))}
          </select>,
        )}
        {leaf.fact === 'keyword' && (
          <>
            {field(
              'keywords',
              t('keywords'),
              <input {...common('keywords')} className="keywords-input" value={leaf.keywords} placeholder={t('keywordsPlaceholder')} onChange={(e) => onChange({ keywords: e.target.value })} />,
              keywords.length > 0 && (
                <span className="keyword-chips" aria-hidden="true">
                  {keywords.map((k, i) => (
                    <span key={`${k}-${i}`} className="chip">
                      {k}
                    </span>
                  ))}
                </span>
              ),
            )}
            {within}
            {comparison()}
          </>
        )}
        {leaf.fact === 'count' && (
          <>
            {field(
              'of',
              t('of'),
              <select {...common('of')} value={leaf.of} onChange={(e) => onChange({ of: e.target.value as Counted })}>
                {COUNTED.map((of) => (
                  <option key={of} value={of}>
                    {t(`counted.${COUNTED_KEYS[of]}`)}
                  </option>
                ))}
              </select>,
            )}
            {leaf.of === 'events' && field('event', t('event'), <input {...common('event')} value={leaf.event} placeholder={t('eventPlaceholder')} maxLength={64} onChange={(e) => onChange({ event: e.target.value })} />)}
            {within}
            {comparison()}
          </>
        )}
        {leaf.fact === 'spend' && (
          <>
            {within}
            {comparison({ step: 'any' })}
          </>
        )}
        {leaf.fact === 'days-since-last-order' && comparison()}
        {leaf.fact === 'age' && comparison({ max: 150 })}
        {leaf.fact === 'score' && (
          <>
            {field(
              'score',
              t('score'),
              <select {...common('score')} value={leaf.score} onChange={(e) => onChange({ score: e.target.value as LeafDraft['score'] })}>
                <option value="value">{td('score.value')}</option>
                <option value="behaviour">{td('score.behaviour')}</option>
              </select>,
            )}
            {comparison({ max: 1, step: 0.01 })}
          </>
        )}
        {leaf.fact === 'tag' && (
          <>
            {field(
              'present',
              t('customer'),
              <select {...common('present')} value={leaf.present ? 'yes' : 'no'} onChange={(e) => onChange({ present: e.target.value === 'yes' })}>
                <option value="yes">{t('presence.has')}</option>
                <option value="no">{t('presence.lacks')}</option>
              </select>,
            )}
            {field('tag', t('tagName'), <input {...common('tag')} value={leaf.tag} maxLength={48} onChange={(e) => onChange({ tag: e.target.value })} />)}
          </>
        )}
        {leaf.fact === 'attribute' && (
          <>
            {field('key', t('key'), <input {...common('key')} value={leaf.key} maxLength={64} spellCheck={false} placeholder={t('keyPlaceholder')} onChange={(e) => onChange({ key: e.target.value })} />)}
            {field(
              'op',
              t('op'),
              <select {...common('op')} value={leaf.attributeOp} onChange={(e) => onChange({ attributeOp: e.target.value as AttributeOp })}>
                {ATTRIBUTE_OPS.map((op) => (
                  <option key={op} value={op}>
                    {td(`ops.${OP_KEYS[op]}`)}
                  </option>
                ))}
              </select>,
            )}
            {leaf.attributeOp !== 'exists' && leaf.attributeOp !== 'contains' && field(
              'attributeType',
              t('compareAs'),
              <select {...common('attributeType')} value={leaf.attributeType} onChange={(e) => onChange({ attributeType: e.target.value as LeafDraft['attributeType'] })}>
                <option value="text">{t('valueTypes.text')}</option>
                <option value="number">{t('valueTypes.number')}</option>
              </select>,
            )}
            {leaf.attributeOp !== 'exists' &&
              field(
                'value',
                t('valueLabels.value'),
                <input
                  {...common('value')}
                  type={leaf.attributeType === 'number' && leaf.attributeOp !== 'contains' ? 'number' : 'text'}
                  step="any"
                  maxLength={200}
                  value={leaf.attributeValue}
                  onChange={(e) => onChange({ attributeValue: e.target.value })}
                />,
              )}
          </>
        )}
        <button type="button" className="danger remove-row" aria-label={removeLabel} onClick={onRemove}>
          {t('remove')}
        </button>
      </div>
      {issues.length > 0 && (
        <div id={errorId} className="field-error">
          {issues.map((issue, i) => (
            <div key={i}>{issue.leafField ? t('fieldIssue', { field: fieldName(issue.leafField, leaf.fact, t), message: issue.message }) : issue.message}</div>
          ))}
        </div>
      )}
    </div>
  );
}

/** The label of the row's input an issue names (the schema's field names are not words). */
export function fieldName(leafField: string, fact: Fact, t: (key: string) => string): string {
  switch (leafField) {
    case 'value':
      return t(`valueLabels.${VALUE_LABELS[fact]}`);
    case 'withinDays':
      return t('withinDays');
    case 'keywords':
      return t('keywords');
    case 'event':
      return t('event');
    case 'key':
      return t('key');
    case 'tag':
      return t('tagName');
    case 'op':
      return t('op');
    case 'of':
      return t('of');
    case 'score':
      return t('score');
    default:
      return leafField;
  }
}
