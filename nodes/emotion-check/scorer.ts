import type { EmotionResult, Language } from '@/nodes/sdk';
import { classifyEmotion } from '@/nodes/shared/emotion';

/**
 * Text → emotion. The worker's score-emotion activity uses one of these (the lexicon scorer by
 * default); the workflow never imports this file.
 */
export interface EmotionScorer {
  score(text: string, language?: Language): EmotionResult;
}

/** Word valences, −3 … 3 (negative = upset). English entries are lowercase whole words. */
const ENGLISH: Readonly<Record<string, number>> = {
  angry: -3, furious: -3.5, mad: -2.5, upset: -2.5, annoyed: -2, annoying: -2, frustrated: -2.5,
  frustrating: -2.5, ridiculous: -3, absurd: -2.5, terrible: -3, horrible: -3, awful: -3,
  worst: -3.5, useless: -3, unacceptable: -3, disappointed: -2.5, disappointing: -2.5,
  hate: -3, complaint: -2, complain: -2, scam: -3, ripoff: -3, 'rip-off': -3, cheated: -3,
  liar: -3, lied: -2.5, pathetic: -3, stupid: -3, idiot: -3, idiots: -3, incompetent: -3,
  rude: -2.5, nonsense: -2, sick: -1.5, tired: -1, bad: -2, poor: -2, broken: -2, wrong: -1.5,
  waiting: -1, waited: -1, slow: -1.5, refund: -1, cancel: -1, problem: -1, issue: -0.5,
  unhappy: -2.5, sad: -2, worried: -1.5, confused: -1, fed: -0.5, hopeless: -2.5, disgusting: -3,
  thank: 2, thanks: 2, thankyou: 2, great: 3, good: 2, excellent: 3, amazing: 3, awesome: 3,
  wonderful: 3, fantastic: 3, perfect: 3, brilliant: 3, best: 3, love: 3, lovely: 2.5,
  happy: 2, pleased: 2, glad: 2, helpful: 2, appreciate: 2, appreciated: 2, nice: 2,
  satisfied: 2, resolved: 1.5, sorted: 1, quick: 1, fast: 1, kind: 1.5, friendly: 2, polite: 1.5,
};

const ENGLISH_NEGATORS = new Set([
  'not', 'no', 'never', 'nothing', 'nobody', 'neither', 'nor', 'without', 'hardly', 'cannot',
  "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "can't", "won't",
  "couldn't", "wouldn't", "shouldn't", "haven't", "hasn't", "ain't", 'dont', 'isnt', 'cant', 'wont',
]);

const ENGLISH_INTENSIFIERS = new Set([
  'very', 'really', 'so', 'extremely', 'absolutely', 'totally', 'incredibly', 'super', 'completely',
  'utterly', 'truly', 'deeply', 'most', 'such',
]);

/** Chinese entries match as substrings; the longest entry starting at a position wins. */
const CHINESE: Readonly<Record<string, number>> = {
  生气: -3, 愤怒: -3.5, 太差: -3, 很差: -3, 差劲: -3, 垃圾: -3, 投诉: -2, 失望: -2.5, 气死: -3.5,
  不满意: -3, 不满: -2.5, 退款: -1, 骗子: -3, 骗人: -3, 糟糕: -2.5, 恼火: -3, 受不了: -2.5,
  离谱: -2.5, 烦: -1.5, 讨厌: -2.5, 坑人: -3, 欺骗: -3, 没用: -2.5, 太慢: -2, 等了: -1, 问题: -0.5,
  满意: 2, 谢谢: 2, 感谢: 2, 很好: 2.5, 太好了: 3, 不错: 2, 好评: 2.5, 开心: 2, 高兴: 2,
  喜欢: 2, 专业: 1.5, 耐心: 1.5, 辛苦: 1, 棒: 2.5, 赞: 2, 完美: 3, 解决了: 1.5, 周到: 2,
};
/** `[word, valence]`, longest word first. */
const CHINESE_ENTRIES = Object.entries(CHINESE).sort(([a], [b]) => b.length - a.length);
const CHINESE_NEGATORS = ['不', '没', '别', '未', '无'];
const CHINESE_INTENSIFIERS = ['非常', '特别', '超级', '十分', '极其', '实在', '真的', '太', '很', '真'];

/** A negated word flips and weakens (as in VADER); an intensified or shouted one grows. */
const NEGATION = -0.74;
const INTENSIFY = 1.5;
const CAPS = 1.5;
const EXCLAMATION_STEP = 0.1;
const MAX_EXCLAMATIONS = 3;
/** Squashes the raw sum into −1 … 1; larger means more words are needed for an extreme score. */
const ALPHA = 15;

const CJK_CHAR = /[\u3400-\u4dbf\u4e00-\u9fff]/;
const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff]+/g;

export function detectLanguage(text: string): Language {
  return CJK_CHAR.test(text) ? 'zh-CN' : 'en-US';
}

/**
 * A small bilingual lexicon scorer. Mixed text is scored by both lexicons (English words and
 * Chinese runs); `language` only overrides the detected language reported in the result.
 */
export const lexiconScorer: EmotionScorer = {
  score(text, language) {
    const raw = englishSum(text.replace(CJK_RUN, ' ')) + chineseSum(text);
    const exclamations = Math.min((text.match(/[!！]/g) ?? []).length, MAX_EXCLAMATIONS);
    const boosted = raw * (1 + EXCLAMATION_STEP * exclamations);
    const score = Math.round((boosted / Math.sqrt(boosted * boosted + ALPHA)) * 1000) / 1000;
    return { score, label: classifyEmotion(score), language: language ?? detectLanguage(text) };
  },
};

function englishSum(text: string): number {
  const words = text.replace(/[’‘]/g, "'").match(/[A-Za-z']+(?:-[A-Za-z']+)*/g) ?? [];
  const lower = words.map((word) => word.toLowerCase());
  let sum = 0;
  words.forEach((original, index) => {
    const word = original.toLowerCase();
    const valence = Object.hasOwn(ENGLISH, word) ? (ENGLISH[word] ?? 0) : 0;
    if (valence === 0) return;
    let value = valence;
    if (original.length >= 2 && original === original.toUpperCase()) value *= CAPS;
    const before = lower.slice(Math.max(0, index - 3), index);
    if (before.slice(-2).some((previous) => ENGLISH_INTENSIFIERS.has(previous))) value *= INTENSIFY;
    if (before.some((previous) => ENGLISH_NEGATORS.has(previous))) value *= NEGATION;
    sum += value;
  });
  return sum;
}

function chineseSum(text: string): number {
  let sum = 0;
  let previousEnd = 0;
  let index = 0;
  while (index < text.length) {
    const entry = CHINESE_ENTRIES.find(([candidate]) => text.startsWith(candidate, index));
    if (entry === undefined) {
      index++;
      continue;
    }
    // Look at up to three characters before the word, but not into the previous matched word.
    const window = text.slice(Math.max(previousEnd, index - 3), index);
    const [word, valence] = entry;
    let value = valence;
    if (CHINESE_INTENSIFIERS.some((intensifier) => window.includes(intensifier))) value *= INTENSIFY;
    if (CHINESE_NEGATORS.some((negator) => window.includes(negator))) value *= NEGATION;
    sum += value;
    index += word.length;
    previousEnd = index;
  }
  return sum;
}
