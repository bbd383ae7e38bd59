import { describe, expect, it } from 'vitest';
import { renderScript, sampleVariables, scriptVariables, suggestScripts, unknownVariables, type Script } from './scripts';

const s = (id: string, trigger: Script['trigger'], language: Script['language'], tag: string | null = null): Script => ({ id, title: id, language, trigger, tag, body: id });

const all: Script[] = [
  s('greet-en', 'always', 'en'),
  s('greet-zh', 'always', 'zh-CN'),
  s('soothe-en', 'upset', 'en'),
  s('soothe-zh', 'upset', 'zh-CN'),
  s('elderly-en', 'tag', 'en', 'elderly'),
  s('vip-zh', 'tag', 'zh-CN', 'VIP'),
  s('vip-en', 'tag', 'en', 'vip'),
  s('new-zh', 'tag', 'zh-CN', 'new-customer'),
];
const ids = (list: Script[]) => list.map((x) => x.id);

describe('suggestScripts', () => {
  it('puts the soothing script first for an upset customer, then tags, then always', () => {
    expect(ids(suggestScripts(all, { upset: true, tags: ['elderly', 'vip'], language: 'en' }))).toEqual(['soothe-en', 'elderly-en', 'vip-en', 'greet-en']);
  });

  it('offers no soothing script to a calm customer', () => {
    expect(ids(suggestScripts(all, { upset: false, tags: ['vip'], language: 'en' }))).toEqual(['vip-en', 'greet-en']);
  });

  it("uses the agent's language, and the other one only where there is nothing in it", () => {
    expect(ids(suggestScripts(all, { upset: true, tags: ['vip', 'elderly', 'new-customer'], language: 'zh-CN' }))).toEqual(['soothe-zh', 'vip-zh', 'elderly-en', 'new-zh', 'greet-zh']);
  });

  it('matches tags case-insensitively and each group once', () => {
    expect(ids(suggestScripts(all, { upset: false, tags: ['VIP', 'vip ', 'unknown'], language: 'zh-CN' }))).toEqual(['vip-zh', 'greet-zh']);
    expect(suggestScripts([], { upset: true, tags: ['vip'], language: 'en' })).toEqual([]);
  });
});

describe('renderScript', () => {
  const vars = scriptVariables({ customer: { firstName: 'Alice', lastName: 'Chen' }, agent: { name: 'Sam Rivera' } });

  it('fills known variables, with or without spaces inside the braces', () => {
    expect(renderScript('Hello {{customer.firstName}}, this is {{ agent.name }}.', vars)).toBe('Hello Alice, this is Sam Rivera.');
    expect(renderScript('{{customer.name}} / {{agent.firstName}}', vars)).toBe('Alice Chen / Sam');
  });

  it('leaves unknown variables and empty values visible', () => {
    expect(renderScript('Hi {{customer.nickname}} {{order.id}}', vars)).toBe('Hi {{customer.nickname}} {{order.id}}');
    const noName = scriptVariables({ customer: { firstName: null }, agent: { name: 'Sam' } });
    expect(renderScript('Hello {{customer.firstName}}', noName)).toBe('Hello {{customer.firstName}}');
    expect(renderScript('{{customer}} {{toString}} {{customer.firstName.length}}', vars)).toBe('{{customer}} {{toString}} {{customer.firstName.length}}');
    expect(renderScript('no variables {single} {{ }}', vars)).toBe('no variables {single} {{ }}');
  });

  it('writes Chinese names family name first', () => {
    expect(renderScript('{{customer.name}}您好', sampleVariables('zh-CN', '李'))).toBe('王伟您好');
    expect(renderScript('{{customer.lastName}}先生', sampleVariables('zh-CN', '李'))).toBe('王先生');
  });

  it('lists the variables no script knows', () => {
    expect(unknownVariables('{{customer.firstName}} {{order.id}} {{ order.id }} {{agent.name}}')).toEqual(['order.id']);
  });
});
