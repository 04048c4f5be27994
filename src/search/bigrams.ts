import { fold } from './text.js';

/*
 * Character bigrams of the scripts written without spaces. The segmenter cuts common
 * domain words into single characters (额度, 还款, 绑定) and keeps others whole, differently
 * in a short query than in a sentence; bigrams indexed beside the words match a query word
 * wherever its characters occur, as a phrase of its bigrams. A lone character is its own
 * gram, so it is still found.
 */
const UNSPACED_RUN = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]+/gu;

export function cjkBigrams(text: string): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(UNSPACED_RUN)) {
    const chars = Array.from(m[0]);
    if (chars.length === 1) out.push(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}
