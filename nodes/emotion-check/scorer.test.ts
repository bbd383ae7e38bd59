import { describe, expect, it } from 'vitest';
import { detectLanguage, lexiconScorer } from './scorer';

const score = (text: string) => lexiconScorer.score(text).score;

describe('lexiconScorer', () => {
  it.each([
    "This is ridiculous, I've been waiting for an hour and I'm furious!",
    'You are useless. Worst service ever.',
    "I'm not happy with this at all",
    '你们的服务太差了，我非常生气，我要投诉！',
    '我不满意，我要退款',
    '这个产品真的是垃圾，气死我了',
  ])('upset: %s', (text) => {
    expect(score(text)).toBeLessThan(-0.3);
    expect(lexiconScorer.score(text).label).toBe('upset');
  });

  it.each(['thank you so much, that was great', 'Excellent, really helpful, thanks!', '谢谢，非常满意', '服务很好，感谢你的耐心'])(
    'positive: %s',
    (text) => {
      expect(score(text)).toBeGreaterThan(0.3);
      expect(lexiconScorer.score(text).label).toBe('positive');
    },
  );

  it.each(['I want to check my account balance', 'What are your opening hours', 'someone called me yesterday', '我想查询一下我的账单', '你们几点开门', ''])(
    'neutral: %s',
    (text) => {
      expect(Math.abs(score(text))).toBeLessThan(0.3);
      expect(lexiconScorer.score(text).label).toBe('neutral');
    },
  );

  it('flips negated words', () => {
    expect(score('happy')).toBeGreaterThan(0);
    expect(score('not happy')).toBeLessThan(0);
    expect(score('满意')).toBeGreaterThan(0);
    expect(score('不是很满意')).toBeLessThan(0);
    expect(score('我不生气')).toBeGreaterThan(0);
  });

  it('grows with intensifiers, exclamation marks and capitals', () => {
    expect(score('very angry')).toBeLessThan(score('angry'));
    expect(score('angry!!!')).toBeLessThan(score('angry'));
    expect(score('I am ANGRY')).toBeLessThan(score('I am angry'));
    expect(score('非常生气')).toBeLessThan(score('生气'));
  });

  it('stays within -1 … 1', () => {
    const rant = 'terrible awful horrible worst useless ridiculous furious '.repeat(20);
    expect(score(rant)).toBeGreaterThanOrEqual(-1);
    expect(score('great '.repeat(50))).toBeLessThanOrEqual(1);
  });

  it('detects the language from CJK characters unless told', () => {
    expect(detectLanguage('hello')).toBe('en-US');
    expect(detectLanguage('我的order')).toBe('zh-CN');
    expect(lexiconScorer.score('谢谢').language).toBe('zh-CN');
    expect(lexiconScorer.score('thanks').language).toBe('en-US');
    expect(lexiconScorer.score('ok', 'zh-CN').language).toBe('zh-CN');
  });

  it('scores mixed text with both lexicons', () => {
    expect(score('我的order太差了, terrible!')).toBeLessThan(-0.5);
  });
});
