import { cleanup, render } from '@testing-library/react';
import { NextIntlClientProvider } from 'next-intl';
import { afterEach, describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import zh from '@/messages/zh-CN.json';
import { getDefinition, nodeDefinitions } from '@/nodes/registry';
import { SettingsStory } from '@/stories/flow-editor-fixtures';
import { NodeCardView } from './node-card';

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

  it('translates installed types only (a custom type without entries falls back to its own words)', () => {
    const installed = new Set(nodeDefinitions.map((definition) => definition.type));
    for (const type of Object.keys(zh.nodeTypes)) expect(installed.has(type), type).toBe(true);
    expect(Object.keys(zh.nodeTypes).length).toBeGreaterThanOrEqual(15);
  });
});
