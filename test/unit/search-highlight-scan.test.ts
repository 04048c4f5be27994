import { describe, expect, it } from 'vitest';
import { highlightAll, snippet, type HighlightTerms } from '../../src/search/highlight.js';

/*
 * Highlighting reads words with scanWords() (no object per word). It must mark and cut
 * exactly as with wordSpans() (Intl.Segmenter words, folding): random English, accented,
 * full-width and Chinese texts and queries, both ways.
 */
describe('highlighting with the word scanner', () => {
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const words = ['Grind', 'grinder', 'burr', 'BURRS', 'espresso', 'x100', 'tamp', 'a', 'the', 'of', 'Milk', 'steam', 'wand', 'don\'t', 'e-mail', '42', 'Café', 'naïve', 'ＧＲＩＮＤ', '咖啡机', '研磨度怎么调', 'x100电池', '磨豆机的刻度', 'cafe\u0301', '—', '😀', 'ab😀cd', 'naïve—x', '\ud800', 'Straße', 'ǅemal'];
  const gaps = [' ', ' ', ' ', ', ', '. ', '\n\n', ' - ', '(', ') ', '"', '  '];
  const text = (n: number) => {
    let s = random() < 0.3 ? pick(gaps) : '';
    for (let i = 0; i < n; i++) s += pick(words) + pick(gaps);
    return s;
  };
  const terms = (): HighlightTerms => ({
    exact: new Set([...Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(words).toLowerCase()), pick(['cafe', 'naive', 'grind', '咖啡', '电池'])]),
    prefixes: random() < 0.4 ? [pick(['gr', 'bu', 'es', 'st', 'caf'])] : [],
    substrings: random() < 0.3 ? [pick(['rind', 'ste', '咖啡', '刻度'])] : [],
  });

  it('marks the same words in a title', () => {
    for (let i = 0; i < 300; i++) {
      const t = text(1 + Math.floor(random() * 12));
      const q = terms();
      expect(highlightAll(t, q)).toBe(highlightAll(t, q, true));
    }
  });

  it('cuts the same snippet, on the same word boundaries, from short and long bodies', () => {
    for (let i = 0; i < 300; i++) {
      const t = text(Math.floor(random() * (i % 10 === 0 ? 3000 : 120)));
      const q = terms();
      const width = pick([60, 120, 200]);
      expect(snippet(t, q, width)).toBe(snippet(t, q, width, true));
    }
  });

  it('still marks what the reader expects', () => {
    expect(snippet('Set the GRINDER finer, then tamp.', { exact: new Set(['grinder']), prefixes: ['tam'] })).toBe('Set the <mark>GRINDER</mark> finer, then <mark>tamp</mark>.');
  });
});
