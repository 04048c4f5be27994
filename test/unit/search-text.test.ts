import { describe, expect, it } from 'vitest';
import { fold, segmentForIndex, tokenize, wordSpans } from '../../src/search/text.js';
import { highlightAll, snippet } from '../../src/search/highlight.js';
import { allowedTypos, typoDistance, Vocabulary } from '../../src/search/vocabulary.js';
import { planQuery } from '../../src/search/sqlite-fts/query-plan.js';

describe('text analysis', () => {
  it('folds case, accents and compatibility forms', () => {
    expect(fold('Café CRÈME')).toBe('cafe creme');
    expect(fold('ＡＢＣ１２３')).toBe('abc123');
    expect(fold('Ångström')).toBe('angstrom');
    expect(fold('한국어')).toBe('한국어');
  });

  it('cuts Chinese into words and keeps Latin words whole', () => {
    const tokens = tokenize('我的意式咖啡机用了半年，出水越来越慢 iPhone 15 Pro');
    expect(tokens).toContain('咖啡');
    expect(tokens).toContain('半年');
    expect(tokens).toEqual(expect.arrayContaining(['iphone', '15', 'pro']));
    expect(tokens.every((t) => /^[\p{L}\p{N}]+$/u.test(t))).toBe(true);
  });

  it('never lets query syntax through: tokens are letters and digits only', () => {
    expect(tokenize('NEAR("a" b*) -c title:d (e) f^g {h}')).toEqual(['near', 'a', 'b', 'c', 'title', 'd', 'e', 'f', 'g', 'h']);
    expect(segmentForIndex('Hello, World! 你好世界')).toBe('hello world 你好 世界');
    expect(segmentForIndex(null)).toBe('');
  });

  it('gives word positions in the original text for highlighting', () => {
    const text = 'Crème brûlée 咖啡机';
    const spans = wordSpans(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['Crème', 'brûlée', '咖啡', '机']);
    expect(spans.map((s) => s.tokens[0])).toEqual(['creme', 'brulee', '咖啡', '机']);
  });
});

describe('highlighting', () => {
  const terms = (exact: string[], prefixes: string[] = [], substrings: string[] = []) => ({ exact: new Set(exact), prefixes, substrings });

  it('marks matched words, escapes the rest and merges adjacent Chinese words', () => {
    expect(highlightAll('<b>Café</b> & crème', terms(['cafe']))).toBe('&lt;b&gt;<mark>Café</mark>&lt;/b&gt; &amp; crème');
    expect(highlightAll('我的咖啡机坏了', terms(['咖啡', '机']))).toBe('我的<mark>咖啡机</mark>坏了');
    expect(highlightAll('咖啡机需要除垢，除垢剂', terms([], [], ['除垢', '咖啡']))).toBe('<mark>咖啡</mark>机需要<mark>除垢</mark>，<mark>除垢</mark>剂');
    expect(highlightAll('grinder grinding', terms([], ['grind']))).toBe('<mark>grinder</mark> <mark>grinding</mark>');
  });

  it('cuts a long text around the matches, on word boundaries, with ellipses', () => {
    const text = `${'lorem ipsum dolor '.repeat(30)}the espresso boiler needs descaling ${'sit amet '.repeat(40)}`;
    const s = snippet(text, terms(['espresso', 'descaling']), 120);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('<mark>espresso</mark> boiler needs <mark>descaling</mark>');
    expect(s.replace(/<\/?mark>/g, '').replace(/…/g, '').length).toBeLessThanOrEqual(120);
    expect(s).not.toMatch(/…\S*(lore|psum|olor)\b(?<!lorem|ipsum|dolor)/);
  });

  it('shows the start of the text when nothing in it matched, and never adds spaces to Chinese', () => {
    expect(snippet('Short body.', terms(['x']))).toBe('Short body.');
    const zh = '一'.repeat(150) + '咖啡机需要除垢' + '二'.repeat(150);
    const s = snippet(zh, terms([], [], ['除垢']), 60);
    expect(s).toContain('<mark>除垢</mark>');
    expect(s.replace(/<\/?mark>/g, '')).not.toMatch(/\s/);
  });
});

describe('typo tolerance', () => {
  it('allows typos by word length like Meilisearch', () => {
    expect([allowedTypos('lens'), allowedTypos('grind'), allowedTypos('espresso'), allowedTypos('maintenance')]).toEqual([0, 1, 1, 2]);
  });

  it('counts an adjacent transposition as one typo and stops early past the limit', () => {
    expect(typoDistance('espresso', 'espreso', 2)).toBe(1);
    expect(typoDistance('aeropress', 'aeorpress', 2)).toBe(1);
    expect(typoDistance('kitten', 'sitting', 3)).toBe(3);
    expect(typoDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });

  it('finds variants in the vocabulary with the same first letter, closest and most frequent first', () => {
    const v = new Vocabulary([['espresso', 50], ['expresso', 2], ['espressos', 5], ['xspresso', 9], ['lens', 4]]);
    expect(v.typoVariants('espreso').map((x) => x.term)).toEqual(['espresso', 'espressos', 'expresso'].filter((t) => typoDistance('espreso', t, 1) <= 1));
    expect(v.typoVariants('lenz')).toEqual([]);
    expect(v.withPrefix('espr').map((x) => x.term)).toEqual(['espresso', 'espressos']);
    v.note(['espressivo']);
    expect(v.withPrefix('espr').map((x) => x.term)).toContain('espressivo');
    expect(v.has('espressivo')).toBe(true);
  });
});

describe('query plan', () => {
  const vocab = new Vocabulary([['espresso', 10], ['machine', 30], ['descale', 3], ['descaler', 2], ['咖啡', 8], ['豆', 2]]);
  const df = (t: string) => vocab.docFrequency(t);

  it('quotes every word, prefixes only the last one while typing, and ignores unknown words', () => {
    const plan = planQuery('"descale" NEAR( machine* espr', vocab, df);
    expect(plan.ignored).toEqual(['near']);
    expect(plan.words.map((w) => [w.token, w.prefix])).toEqual([['descale', false], ['machine', false], ['espr', true]]);
    // A prefix with few completions in the vocabulary is searched as those words.
    expect(plan.tiers[0]!.expr).toBe('"descale" AND "machine" AND "espresso"');
    const many = new Vocabulary(Array.from({ length: 20 }, (_, i) => [`espresso${i}`, 1] as [string, number]));
    expect(planQuery('espr', many, (t) => many.docFrequency(t)).tiers[0]!.expr).toBe('"espr"*');
    expect(planQuery('espresso ', vocab, df).words[0]!.prefix).toBe(false);
  });

  it('ranks all words before typo matches before fewer words', () => {
    const plan = planQuery('descale espresso machine', vocab, df);
    expect(plan.tiers.map((t) => [t.words, t.typos])).toEqual([
      [3, false],
      [3, true],
      [2, false],
      [2, true],
      [1, false],
      [1, true],
    ]);
    expect(plan.tiers[2]!.expr).toContain(' OR ');
    expect(plan.tiers[4]!.expr).toBe('"descale"');
  });

  it('matches a Chinese word also as a phrase of shorter indexed words', () => {
    // The segmenter keeps 咖啡豆 whole in a query but may cut it as 咖啡 + 豆 in a sentence.
    const plan = planQuery('咖啡豆', vocab, df);
    expect(plan.tiers[0]!.expr).toBe('("咖啡豆"* OR "咖啡 豆")');
    expect(plan.highlight.substrings).toEqual(['咖啡豆']);
  });

  it('keeps at most ten words', () => {
    const many = Array.from({ length: 15 }, () => 'espresso machine').join(' ') + ' ' + Array.from({ length: 12 }, (_, i) => `w${i}`).join(' ');
    expect(planQuery(many, vocab, df).words.length + planQuery(many, vocab, df).ignored.length).toBeLessThanOrEqual(10);
  });
});
