import { cleanup, fireEvent, render } from '@testing-library/react';
import { NextIntlClientProvider } from 'next-intl';
import { type ReactNode, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import en from '@/messages/en.json';
import zh from '@/messages/zh-CN.json';
import { languageField, voiceField } from '@/nodes/shared/fields';
import { VOICES } from '@/nodes/shared/voice';
import type { JsonSchema } from './json-schema';
import { ObjectFields } from './schema-form';
import { VoiceSelect } from './voice-select';

afterEach(cleanup);

function withMessages(children: ReactNode, messages: typeof en = en, locale = 'en') {
  return render(
    <NextIntlClientProvider locale={locale} messages={messages} timeZone="UTC">
      {children}
    </NextIntlClientProvider>,
  );
}

const optionValues = (select: Element) => [...select.querySelectorAll('option')].map((option) => option.getAttribute('value'));

describe('the voice widget', () => {
  it('offers the language’s voices, sends a picked voice, and leaves the default as no voice', () => {
    const onChange = vi.fn();
    const { getByRole } = withMessages(<VoiceSelect value="" onChange={onChange} language="zh-CN" />);
    const select = getByRole('combobox');
    expect(optionValues(select)).toEqual(['', ...VOICES['zh-CN'], 'other voice']);
    expect(select.querySelector('option')?.textContent).toBe('Default for the language (Polly.Zhiyu)');
    fireEvent.change(select, { target: { value: 'Google.cmn-CN-Standard-B' } });
    fireEvent.change(select, { target: { value: '' } });
    expect(onChange.mock.calls).toEqual([['Google.cmn-CN-Standard-B'], [undefined]]);
  });

  it('takes a voice typed in, and keeps the box open while it is emptied', () => {
    const onChange = vi.fn();
    function Typed() {
      const [voice, setVoice] = useState<string | undefined>('Polly.Joanna');
      return (
        <VoiceSelect
          value={voice ?? ''}
          language="en-US"
          onChange={(next) => {
            onChange(next);
            setVoice(next);
          }}
        />
      );
    }
    const { getByRole, getByLabelText } = withMessages(<Typed />);
    fireEvent.change(getByRole('combobox'), { target: { value: 'other voice' } });
    const box = getByLabelText('Voice name');
    expect(box).toHaveProperty('value', 'Polly.Joanna');
    fireEvent.change(box, { target: { value: '' } });
    fireEvent.change(getByLabelText('Voice name'), { target: { value: 'Polly.Amy' } });
    expect(onChange.mock.calls).toEqual([[undefined], ['Polly.Amy']]);
    expect(getByRole('combobox')).toHaveProperty('value', 'other voice');
  });

  it('lists every language’s voices when the node has no language, in Chinese too', () => {
    const { getByRole } = withMessages(<VoiceSelect value="" onChange={() => undefined} language={undefined} />, zh, 'zh-CN');
    const select = getByRole('combobox');
    expect(optionValues(select)).toEqual(['', ...VOICES['en-US'], ...VOICES['zh-CN'], 'other voice']);
    expect(select.querySelector('option')?.textContent).toBe('该语言的默认语音');
  });
});

describe('the generated form', () => {
  // A custom node's config: every editor comes from the fields' meta, none from a type id or field name.
  const schema = z.toJSONSchema(
    z.object({
      aliases: z.array(z.string()).default([]).meta({ title: 'Aliases', widget: 'word-list' }),
      segment: z.string().default('').meta({ title: 'Segment', widget: 'tags' }),
      language: languageField(),
      voice: voiceField(),
      keywords: z.array(z.string()).default([]).meta({ title: 'Keywords', widget: 'tags' }),
    }),
    { io: 'input' },
  ) as JsonSchema;

  function form(value: Record<string, unknown>) {
    return withMessages(<ObjectFields schema={schema} value={value} onChange={() => undefined} path={[]} errors={new Map()} />);
  }

  it('renders each field with the widget its meta declares', () => {
    const { getByTestId, getByLabelText, queryByTestId } = form({ aliases: ['acme'], keywords: ['vip'], language: 'zh-CN' });
    expect(getByTestId('words-aliases').textContent).toContain('acme');
    expect(getByTestId('words-aliases').querySelector('input')?.hasAttribute('list')).toBe(false);
    // A field named keywords is no special case: its meta asks for tags, so it gets tag suggestions.
    expect(queryByTestId('words-keywords')).toBeNull();
    expect(getByTestId('tags-keywords').querySelector('input')?.hasAttribute('list')).toBe(true);
    expect(getByLabelText('Segment').getAttribute('list')).toBeTruthy();
    expect(optionValues(getByLabelText('Voice'))).toEqual(['', ...VOICES['zh-CN'], 'other voice']);
  });

  it('reads the voice’s language from the field beside it, or its default', () => {
    const { getByLabelText } = form({});
    expect(optionValues(getByLabelText('Voice'))).toEqual(['', ...VOICES['en-US'], 'other voice']);
  });

  it('falls back to the field’s type for a widget this build does not know', () => {
    const unknown = { type: 'object', properties: { note: { type: 'string', title: 'Note', widget: 'sparkles' } } } as unknown as JsonSchema;
    const { getByLabelText } = withMessages(<ObjectFields schema={unknown} value={{ note: 'hi' }} onChange={() => undefined} path={[]} errors={new Map()} />);
    expect(getByLabelText('Note')).toHaveProperty('value', 'hi');
    expect(getByLabelText('Note').getAttribute('type')).toBe('text');
  });
});
