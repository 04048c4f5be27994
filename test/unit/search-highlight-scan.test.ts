import { describe, expect, it } from 'vitest';
import { densestWindow, highlightAll, snippet, type HighlightTerms, type Range } from '../../src/search/highlight.js';

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

  /*
   * Runs of plain Chinese are kept whole when no exact term can mark a word in them (English
   * query words, Chinese ones as substrings) and cut into words only where the window ends:
   * the same snippets, with the window starting and ending inside, before and after long
   * Chinese runs, and around a match deep in a long body.
   */
  const zhWords = ['研磨度怎么调', '咖啡机的蒸汽棒', '每天早上', '磨豆机', '刻度', 'ガス', 'コーヒー', '一直报错', '的', 'x100', 'grinder', 'Café', '電池', '〇', '㐀㐁'];
  const zhGaps = ['', '', '', '，', '。', ' ', '\n', '、', '（', '）'];
  const zhText = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += pick(zhWords) + pick(zhGaps);
    return s;
  };
  const latinTerms = (): HighlightTerms => ({
    exact: new Set([pick(['grinder', 'x100', 'cafe', 'steam'])]),
    prefixes: random() < 0.3 ? [pick(['gr', 'x1'])] : [],
    substrings: random() < 0.7 ? [pick(['咖啡', '刻度', '磨豆机', 'コーヒー'])] : [],
  });

  it('cuts the same snippet from Chinese bodies, with runs kept whole where nothing in them can be marked', () => {
    for (let i = 0; i < 400; i++) {
      const t = zhText(Math.floor(random() * (i % 8 === 0 ? 2500 : 150)));
      const q = latinTerms();
      const width = pick([40, 60, 120, 200]);
      expect(snippet(t, q, width)).toBe(snippet(t, q, width, true));
      expect(highlightAll(t.slice(0, 80), q)).toBe(highlightAll(t.slice(0, 80), q, true));
    }
  });

  it('finds a match deep in a long Chinese body and cuts on the same word boundaries', () => {
    const long = '磨豆机的刻度每天早上都不一样，咖啡机的蒸汽棒也一直报错。'.repeat(300);
    const body = `${long}我的grinder研磨度怎么调才好${long}`;
    const q: HighlightTerms = { exact: new Set(['grinder']), prefixes: [], substrings: ['研磨'] };
    const cut = snippet(body, q, 60);
    expect(cut).toBe(snippet(body, q, 60, true));
    expect(cut).toContain('<mark>grinder研磨</mark>');
    expect(cut.startsWith('…') && cut.endsWith('…')).toBe(true);
  });

  it('picks the window with the most distinct matched words, as comparing every window with every mark does', () => {
    // The plain definition: for each of the first 300 marks, a window from a little before it;
    // the first window holding the most distinct matched words (case-insensitive).
    const reference = (text: string, marks: Range[], maxChars: number) => {
      const lead = Math.min(40, Math.floor(maxChars / 4));
      let best = -1;
      let start = 0;
      for (const m of marks.slice(0, 300)) {
        const from = Math.max(0, m.start - lead);
        const seen = new Set<string>();
        for (const n of marks) if (n.start >= from && n.end <= from + maxChars) seen.add(text.slice(n.start, n.end).toLowerCase());
        if (seen.size > best) {
          best = seen.size;
          start = from;
        }
      }
      return start;
    };
    for (let i = 0; i < 500; i++) {
      const words = ['Grind', 'grind', 'burr', 'BURR', 'tamp', 'milk', '咖啡'];
      let text = '';
      const marks: Range[] = [];
      const n = i % 25 === 0 ? 400 : Math.floor(random() * 40);
      for (let k = 0; k < n; k++) {
        text += 'x'.repeat(1 + Math.floor(random() * (random() < 0.2 ? 150 : 15))) + ' ';
        const w = pick(words);
        marks.push({ start: text.length, end: text.length + w.length });
        text += `${w} `;
      }
      for (const width of [60, 200]) expect(densestWindow(text, marks, width)).toBe(reference(text, marks, width));
    }
  });

  it('still marks what the reader expects', () => {
    expect(snippet('Set the GRINDER finer, then tamp.', { exact: new Set(['grinder']), prefixes: ['tam'] })).toBe('Set the <mark>GRINDER</mark> finer, then <mark>tamp</mark>.');
  });
});
