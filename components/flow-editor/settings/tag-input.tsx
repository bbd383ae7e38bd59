'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { usePickers } from './pickers';

/** Many tags: chips plus an input that suggests the tags the database knows (free text allowed); `free` drops the suggestions. */
export function TagListInput({ value, onChange, id, free = false, placeholder, testId }: { value: string[]; onChange(value: string[]): void; id?: string; free?: boolean; placeholder?: string; testId?: string }) {
  const t = useTranslations('editor');
  const { tags } = usePickers();
  const listId = useId();
  const [draft, setDraft] = useState('');
  const add = (text: string) => {
    const tag = text.trim();
    if (tag && !value.includes(tag)) onChange([...value, tag]);
    setDraft('');
  };
  return (
    <div className="tag-input" data-testid={testId}>
      {value.map((tag) => (
        <span key={tag} className="chip">
          {tag}
          <button type="button" aria-label={t('removeTag', { tag })} onClick={() => onChange(value.filter((v) => v !== tag))}>
            ×
          </button>
        </span>
      ))}
      <input
        id={id}
        list={free ? undefined : listId}
        value={draft}
        placeholder={placeholder ?? t('addTag')}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add(draft);
          } else if (e.key === 'Backspace' && draft === '' && value.length > 0) {
            onChange(value.slice(0, -1));
          }
        }}
        onBlur={() => draft && add(draft)}
      />
      {!free && <TagOptions id={listId} tags={tags} />}
    </div>
  );
}

/** One tag, suggested from the database. */
export function TagInput({ value, onChange, id }: { value: string; onChange(value: string): void; id?: string }) {
  const { tags } = usePickers();
  const listId = useId();
  return (
    <>
      <input id={id} list={listId} value={value} onChange={(e) => onChange(e.target.value)} />
      <TagOptions id={listId} tags={tags} />
    </>
  );
}

/** A skill from the database; a value the database does not know is kept and shown as such. */
export function SkillSelect({ value, onChange, id }: { value: string; onChange(value: string): void; id?: string }) {
  const t = useTranslations('editor');
  const { skills } = usePickers();
  const known = skills.some((s) => s.id === value);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      {!value && <option value="">{t('pickSkill')}</option>}
      {value && !known && <option value={value}>{t('unknownSkill', { skill: value })}</option>}
      {skills.map((skill) => (
        <option key={skill.id} value={skill.id}>
          {skill.name}
        </option>
      ))}
    </select>
  );
}

/** The tags from the database as input suggestions. */
function TagOptions({ id, tags }: { id: string; tags: readonly { name: string; description?: string }[] }) {
  return (
    <datalist id={id}>
      {tags.map((tag) => (
        <option key={tag.name} value={tag.name}>
          {tag.description}
        </option>
      ))}
    </datalist>
  );
}
