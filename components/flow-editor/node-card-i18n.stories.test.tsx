import { cleanup, render } from '@testing-library/react';
import { NextIntlClientProvider } from 'next-intl';
import { afterEach, describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import zh from '@/messages/zh-CN.json';
import { getDefinition, nodeDefinitions } from '@/nodes/registry';
import { SettingsStory } from '@/stories/flow-editor-fixtures';
import { NodeCardView } from './node-card';
import { configJsonSchema, type JsonSchema, localizeSchema } from './settings/json-schema';

afterEach(cleanup);

function card(type: string, messages: typeof en, locale: string) {
  const definition = getDefinition(type)!;
  const node = { id: 'n1', type, typeVersion: definition.version, position: { x: 0, y: 0 }, config: definition.configSchema.parse(definition.defaults) as Record<string, unknown> };
  return render(
    <NextIntlClientProvider locale={locale} messages={messages} timeZone="UTC">
      <NodeCardView node={node} definition={definition} interactive={false} />
    </NextIntlClientProvider>,
  );
}

describe('node cards speak the viewer’s language', () => {
  it('shows built-in types and their ports in Chinese', () => {
    const { container } = card('emotion-check', zh, 'zh-CN');
    expect(container.querySelector('.node-title')?.textContent).toBe('情绪检测');
    expect([...container.querySelectorAll('.port-label')].map((e) => e.textContent)).toEqual(['不满', '中性', '积极']);
  });

  it('keeps the definition’s words in English', () => {
    const { container } = card('tag-condition', en, 'en');
    expect(container.querySelector('.node-title')?.textContent).toBe('Tag condition');
    expect([...container.querySelectorAll('.port-label')].map((e) => e.textContent)).toEqual(['Matched', 'No match']);
  });

  it('generates settings forms with Chinese field titles, keeping {{…}} variables literal', () => {
    const { container } = render(
      <NextIntlClientProvider locale="zh-CN" messages={zh} timeZone="UTC">
        <SettingsStory type="ivr-menu" />
      </NextIntlClientProvider>,
    );
    const text = container.textContent ?? '';
    expect(text).toContain('IVR 菜单');
    expect(text).toContain('语音关键词');
    expect(text).toContain('按标签定制');
    expect(text).not.toContain('Spoken keywords');
    cleanup();
    const say = render(
      <NextIntlClientProvider locale="zh-CN" messages={zh} timeZone="UTC">
        <SettingsStory type="say" />
      </NextIntlClientProvider>,
    );
    expect(say.container.textContent).toContain('要播报的内容；可使用 {{customer.firstName}} 等变量');
  });

  it('gives every titled settings field of every built-in type a Chinese title', () => {
    const missing: string[] = [];
    // Localized as the settings form does, marking what the Chinese messages supplied; any other title is English left over.
    const untranslated = (schema: JsonSchema, at: string): void => {
      if (schema.title !== undefined && !schema.title.startsWith('zh:')) missing.push(`${at}: ${schema.title}`);
      for (const [key, child] of Object.entries(schema.properties ?? {})) untranslated(child, `${at}.${key}`);
      if (schema.items) untranslated({ ...schema.items, title: undefined }, at);
      for (const variant of schema.oneOf ?? []) untranslated({ ...variant, title: undefined }, at);
    };
    for (const definition of nodeDefinitions) {
      const fields = (zh.nodeTypes as Record<string, { fields?: Record<string, { title?: string }> }>)[definition.type]?.fields ?? {};
      const localized = localizeSchema(configJsonSchema(definition), (path, key) => (key === 'title' && fields[path]?.title ? `zh:${fields[path].title}` : undefined));
      untranslated({ ...localized, title: undefined }, definition.type);
    }
    expect(missing).toEqual([]);
  });

  it('translates installed types only (a custom type without entries falls back to its own words)', () => {
    const installed = new Set(nodeDefinitions.map((definition) => definition.type));
    for (const type of Object.keys(zh.nodeTypes)) expect(installed.has(type), type).toBe(true);
    expect(Object.keys(zh.nodeTypes).length).toBeGreaterThanOrEqual(15);
  });
});
