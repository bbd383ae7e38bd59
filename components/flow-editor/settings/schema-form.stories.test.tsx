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
  it('reads the voice’s language from the field beside it, or its default', () => {
    const schema = z.toJSONSchema(z.object({ language: languageField(), voice: voiceField() }), { io: 'input' }) as JsonSchema;
    const form = (value: Record<string, unknown>) => withMessages(<ObjectFields schema={schema} value={value} onChange={() => undefined} path={[]} errors={new Map()} />);
    expect(optionValues(form({ language: 'zh-CN' }).getByLabelText('Voice'))).toEqual(['', ...VOICES['zh-CN'], 'other voice']);
    cleanup();
    expect(optionValues(form({}).getByLabelText('Voice'))).toEqual(['', ...VOICES['en-US'], 'other voice']);
  });
});
