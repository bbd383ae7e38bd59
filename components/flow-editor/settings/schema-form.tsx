'use client';

import { useTranslations } from 'next-intl';
import { type ComponentType, useId } from 'react';
import type { FieldWidget, Language } from '@/nodes/sdk';
import { LANGUAGES } from '@/nodes/shared/fields';
import { formatPath } from '@/workflows/diagnostics';
import { discriminatorOf, initialValue, type JsonSchema } from './json-schema';
import { SkillSelect, TagInput, TagListInput } from './tag-input';
import { TemplateInput } from './template-input';
import { VoiceSelect } from './voice-select';

type Path = (string | number)[];
type Errors = ReadonlyMap<string, readonly string[]>;

interface FieldProps {
  schema: JsonSchema;
  value: unknown;
  onChange(value: unknown): void;
  path: Path;
  errors: Errors;
  /** Inside a table row: no label or help text. */
  compact?: boolean;
  required?: boolean;
  /** The values of the fields beside this one (defaults filled in): the voice widget reads `language`. */
  siblings?: Readonly<Record<string, unknown>>;
}

/** Every field of an object schema, in schema order. */
export function ObjectFields({ schema, value, onChange, path, errors, skip = [] }: Omit<FieldProps, 'compact'> & { skip?: string[] }) {
  const object = (value ?? {}) as Record<string, unknown>;
  const siblings = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, property]) => [key, object[key] ?? property.default]));
  return (
    <>
      {Object.entries(schema.properties ?? {})
        .filter(([key]) => !skip.includes(key))
        .map(([key, property]) => (
          <SchemaField
            key={key}
            schema={property}
            value={object[key]}
            path={[...path, key]}
            errors={errors}
            required={schema.required?.includes(key)}
            siblings={siblings}
            onChange={(next) => {
              const copy = { ...object };
              if (next === undefined) delete copy[key];
              else copy[key] = next;
              onChange(copy);
            }}
          />
        ))}
      <FieldErrors errors={errors} path={path} />
    </>
  );
}

function FieldErrors({ errors, path }: { errors: Errors; path: Path }) {
  const messages = errors.get(formatPath(path));
  if (!messages?.length) return null;
  return (
    <div className="field-error" role="alert" data-testid={`field-error-${formatPath(path)}`}>
      {messages.join('; ')}
    </div>
  );
}

/** One config field, with the purpose-built editor its `widget` asks for, else one chosen by its type. */
export function SchemaField(props: FieldProps) {
  const { schema, compact, path, errors } = props;
  const id = useId();
  const control = <FieldControl {...props} id={id} />;
  if (compact) {
    return (
      <div className={`cell ${errors.has(formatPath(path)) ? 'invalid' : ''}`} title={errors.get(formatPath(path))?.join('; ')}>
        {control}
      </div>
    );
  }
  const isGroup = schema.type === 'object' && !schema.oneOf && schema.widget === undefined;
  return (
    <div className={`field ${errors.has(formatPath(path)) ? 'invalid' : ''}`} data-field={formatPath(path)}>
      {isGroup ? <div className="field-label">{schema.title ?? String(path.at(-1))}</div> : <label htmlFor={id}>{schema.title ?? String(path.at(-1))}</label>}
      {control}
      {schema.description && <div className="field-help">{schema.description}</div>}
      {!isGroup && <FieldErrors errors={errors} path={path} />}
    </div>
  );
}

interface ControlProps extends FieldProps {
  id: string;
  label: string;
}

/** One renderer per widget a field can declare; a widget added to `FIELD_WIDGETS` without one fails the type check. */
const WIDGETS: Record<FieldWidget, ComponentType<ControlProps>> = {
  template: TemplateWidget,
  textarea: TemplateWidget,
  tags: ({ schema, value, onChange, path, id }) =>
    schema.type === 'array' ? <TagListInput id={id} value={asStrings(value)} onChange={onChange} testId={`tags-${formatPath(path)}`} /> : <TagInput id={id} value={asString(value)} onChange={onChange} />,
  'word-list': WordListWidget,
  skill: ({ value, onChange, id }) => <SkillSelect id={id} value={asString(value)} onChange={onChange} />,
  voice: ({ value, onChange, siblings, id }) => <VoiceSelect id={id} value={asString(value)} onChange={onChange} language={asLanguage(siblings?.language)} />,
  'phone-or-caller': ({ schema, value, onChange, id }) => <PhoneOrCaller id={id} value={asString(value ?? schema.default)} onChange={onChange} />,
  'options-table': ({ schema, value, onChange, path, errors }) => <TableField schema={schema} value={value} onChange={onChange} path={path} errors={errors} />,
};

function WordListWidget({ value, onChange, path, id }: ControlProps) {
  const t = useTranslations('editor');
  return <TagListInput id={id} value={asStrings(value)} onChange={onChange} free placeholder={t('addWord')} testId={`words-${formatPath(path)}`} />;
}

function TemplateWidget({ schema, value, onChange, compact, required, id, label }: ControlProps) {
  return <TemplateInput id={id} label={label} rows={compact ? 1 : 3} value={asString(value)} onChange={(text) => onChange(unsetWhenEmpty(text, schema, required))} />;
}

/** An emptied optional text without a default is left out of the config rather than saved as ''. */
function unsetWhenEmpty(text: string, schema: JsonSchema, required: boolean | undefined): string | undefined {
  return text === '' && !required && schema.default === undefined ? undefined : text;
}

function FieldControl(props: FieldProps & { id: string }) {
  const { schema, value, onChange, path, errors, compact, required, id } = props;
  const t = useTranslations('editor');
  const label = schema.title ?? String(path.at(-1));

  if (schema.oneOf) return <UnionField schema={schema} value={value} onChange={onChange} path={path} errors={errors} id={id} />;
  // A widget name from a schema this build does not know (JSON from elsewhere) falls back to the field's type.
  if (schema.widget !== undefined && Object.hasOwn(WIDGETS, schema.widget)) {
    const Widget = WIDGETS[schema.widget];
    return <Widget {...props} label={label} />;
  }

  if (schema.enum) {
    return (
      <select id={id} value={value === undefined ? '' : String(value)} aria-label={compact ? label : undefined} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
        {(value === undefined || !required) && <option value="">{schema.default !== undefined ? t('defaultValue', { value: String(schema.default) }) : '—'}</option>}
        {schema.enum.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  }

  switch (schema.type) {
    case 'boolean':
      return <input id={id} type="checkbox" checked={value === true} aria-label={compact ? label : undefined} onChange={(e) => onChange(e.target.checked)} />;
    case 'integer':
    case 'number':
      return (
        <input
          id={id}
          type="number"
          aria-label={compact ? label : undefined}
          min={schema.minimum}
          max={schema.maximum}
          step={schema.type === 'integer' ? 1 : 0.05}
          value={typeof value === 'number' ? value : ''}
          placeholder={schema.default !== undefined ? String(schema.default) : undefined}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      );
    case 'string':
      return <input id={id} type="text" aria-label={compact ? label : undefined} value={asString(value)} maxLength={schema.maxLength} onChange={(e) => onChange(unsetWhenEmpty(e.target.value, schema, required))} />;
    case 'object':
      return (
        <div className="field-group">
          <ObjectFields schema={schema} value={value ?? schema.default ?? {}} onChange={onChange} path={path} errors={errors} />
        </div>
      );
    case 'array':
      if (schema.items?.type === 'object') return <TableField schema={schema} value={value} onChange={onChange} path={path} errors={errors} />;
      if (schema.items?.type === 'string' && !schema.items.enum) return <TagListInput id={id} value={asStrings(value)} onChange={onChange} free />;
      break;
    default:
      break;
  }
  return <JsonField id={id} value={value} onChange={onChange} />;
}

/** Rows of objects (IVR options, split branches, per-tag behaviour): add, remove, reorder; order is the port order. */
function TableField({ schema, value, onChange, path, errors }: Omit<FieldProps, 'compact'>) {
  const t = useTranslations('editor');
  const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  const items = schema.items ?? {};
  const columns = Object.entries(items.properties ?? {});
  const canAdd = schema.maxItems === undefined || rows.length < schema.maxItems;
  const set = (index: number, row: Record<string, unknown>) => onChange(rows.map((r, i) => (i === index ? row : r)));
  const move = (index: number, by: number) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    if (row === undefined) return;
    next.splice(index + by, 0, row);
    onChange(next);
  };
  return (
    <div className="table-field" data-testid={`table-${formatPath(path)}`}>
      <table>
        <thead>
          <tr>
            {columns.map(([key, column]) => (
              <th key={key} title={column.description}>
                {column.title ?? key}
              </th>
            ))}
            <th aria-label={t('rowActions')} />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index} data-testid="table-row">
              {columns.map(([key, column]) => (
                <td key={key}>
                  <SchemaField
                    compact
                    schema={column}
                    value={row[key]}
                    path={[...path, index, key]}
                    errors={errors}
                    required={items.required?.includes(key)}
                    onChange={(next) => {
                      const copy = { ...row };
                      if (next === undefined) delete copy[key];
                      else copy[key] = next;
                      set(index, copy);
                    }}
                  />
                </td>
              ))}
              <td className="row-actions">
                <button type="button" className="icon" aria-label={t('moveUp')} disabled={index === 0} onClick={() => move(index, -1)}>
                  ↑
                </button>
                <button type="button" className="icon" aria-label={t('moveDown')} disabled={index === rows.length - 1} onClick={() => move(index, 1)}>
                  ↓
                </button>
                <button type="button" className="icon" aria-label={t('removeRow')} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" disabled={!canAdd} data-testid={`add-row-${formatPath(path)}`} onClick={() => onChange([...rows, initialValue(items, rows, rows.length)])}>
        + {t('addRow')}
      </button>
      <FieldErrors errors={errors} path={path} />
    </div>
  );
}

/** A tagged union (`kind`): pick the variant, then fill its fields. */
function UnionField({ schema, value, onChange, path, errors, id }: Omit<FieldProps, 'compact'> & { id: string }) {
  const variants = schema.oneOf ?? [];
  const key = discriminatorOf(schema);
  const [first] = variants;
  // A discriminator needs variants: without either, edit the JSON.
  if (!key || first === undefined) return <JsonField id={id} value={value} onChange={onChange} />;
  const current = (value ?? schema.default ?? initialValue(first)) as Record<string, unknown>;
  const variant = variants.find((v) => v.properties?.[key]?.const === current[key]) ?? first;
  return (
    <div className="field-group">
      <select
        id={id}
        value={String(current[key])}
        onChange={(e) => {
          const next = variants.find((v) => v.properties?.[key]?.const === e.target.value);
          if (next) onChange(initialValue(next));
        }}
      >
        {variants.map((v) => {
          const option = v.properties?.[key];
          return (
            <option key={String(option?.const)} value={String(option?.const)}>
              {option?.title ?? String(option?.const)}
            </option>
          );
        })}
      </select>
      <ObjectFields schema={variant} value={current} onChange={onChange} path={path} errors={errors} skip={[key]} />
    </div>
  );
}

/** "caller" or a phone number. */
function PhoneOrCaller({ value, onChange, id }: { value: string; onChange(value: string): void; id: string }) {
  const t = useTranslations('editor');
  const isCaller = value === 'caller';
  return (
    <div className="phone-or-caller">
      <select id={id} value={isCaller ? 'caller' : 'number'} onChange={(e) => onChange(e.target.value === 'caller' ? 'caller' : '')}>
        <option value="caller">{t('theCaller')}</option>
        <option value="number">{t('aNumber')}</option>
      </select>
      {!isCaller && <input type="tel" placeholder="+14155550100" aria-label={t('aNumber')} value={value} onChange={(e) => onChange(e.target.value)} />}
    </div>
  );
}

/** The last resort for shapes the form does not know: edit as JSON. */
function JsonField({ value, onChange, id }: { value: unknown; onChange(value: unknown): void; id: string }) {
  return (
    <textarea
      id={id}
      rows={3}
      defaultValue={JSON.stringify(value ?? null, null, 2)}
      onBlur={(e) => {
        try {
          onChange(JSON.parse(e.target.value));
        } catch {
          // Leave the value alone until the text parses; the field keeps what was typed.
        }
      }}
    />
  );
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function asLanguage(value: unknown): Language | undefined {
  return LANGUAGES.find((language) => language === value);
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
