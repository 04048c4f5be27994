import { describe, expect, it } from 'vitest';
import { fold, foldNormalised, segmentForIndex, tokenize, wordSpans } from '../../src/search/text.js';
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

  it('folds Chinese text with full-width punctuation exactly as normalisation does (its shorter path)', () => {
    expect(fold('相机镜头起雾了怎么办？（ＳＯＮＹ）')).toBe('相机镜头起雾了怎么办?(sony)');
    expect(fold('“Ａ７”，镜头。')).toBe('“a7”,镜头。');
    // Every character the shorter path takes, alone and between others, against the general way.
    const chars: string[] = [];
    const add = (from: number, to: number) => {
      for (let c = from; c <= to; c++) chars.push(String.fromCharCode(c));
    };
    add(0x20, 0x7e);
    add(0x2018, 0x201d);
    add(0x3001, 0x3002);
    add(0x3400, 0x4dbf);
    add(0x4e00, 0x9fff);
    add(0xff01, 0xff5e);
    for (const c of chars) expect(fold(c)).toBe(foldNormalised(c));
    for (let i = 0; i + 3 < chars.length; i += 7) {
      const text = `${chars[i]}${chars[chars.length - 1 - i]}${chars[i + 1]}Ｘ${chars[i + 3]}`;
      expect(fold(text)).toBe(foldNormalised(text));
    }
    // Anything else (kana with voicing marks, accents, the ideographic space) still normalises.
    expect(fold('ガイド　Café')).toBe(foldNormalised('ガイド　Café'));
    expect(fold('ガイド　Café')).toBe('カイト cafe');
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

  it('shows every run of whitespace as one space, and escapes markup, around the marks and in text with nothing to change', () => {
    expect(snippet('Kettle  scale\n\tbuilds up & <b>fast</b>', terms(['scale']))).toBe('Kettle <mark>scale</mark> builds up &amp; &lt;b&gt;fast&lt;/b&gt;');
    expect(snippet('One space each, "quoted" it\'s', terms(['each']))).toBe('One space <mark>each</mark>, &quot;quoted&quot; it&#39;s');
    expect(snippet('plain words only', terms(['none']))).toBe('plain words only');
    expect(highlightAll('Tab\there\u00a0and\u3000wide', terms(['here']))).toBe('Tab <mark>here</mark> and wide');
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
  const vocab = new Vocabulary([['espresso', 10], ['machine', 30], ['machines', 4], ['descale', 3], ['descaler', 2], ['咖啡', 8], ['啡豆', 1], ['豆', 2]]);
  const df = (t: string) => vocab.docFrequency(t);
  const kinds = (plan: ReturnType<typeof planQuery>, i: number) => plan.words[i]!.alternatives.map((a) => [a.kind, a.expr]);

  it('quotes every word, prefixes only the last one while typing, and ignores unknown words', () => {
    const plan = planQuery('"descale" NEAR( machine* espr', vocab, df);
    expect(plan.ignored).toEqual(['near']);
    expect(plan.words.map((w) => [w.token, w.prefix])).toEqual([['descale', false], ['machine', false], ['espr', true]]);
    // A prefix with few completions in the vocabulary is searched as those words.
    expect(kinds(plan, 2)).toEqual([['prefix', '"espresso"']]);
    const many = new Vocabulary(Array.from({ length: 20 }, (_, i) => [`espresso${i}`, 1] as [string, number]));
    expect(planQuery('espr', many, (t) => many.docFrequency(t)).words[0]!.alternatives).toEqual([{ kind: 'prefix', expr: '"espr"*', sampleExpr: '"espr"*', bound: 9 }]);
    expect(planQuery('espresso ', vocab, df).words[0]!.prefix).toBe(false);
  });

  it('samples a single Chinese character by its most frequent bigrams, and reads it whole by the bigram prefix', () => {
    // Ten bigrams start with 豆; the eight most frequent are sampled, the prefix reads them all.
    const grams = Array.from({ length: 10 }, (_, i) => [`豆${'一二三四五六七八九十'[i]}`, 20 - i] as [string, number]);
    const beans = new Vocabulary([['豆', 5], ['豆浆机', 40], ...grams]);
    const word = planQuery('豆', beans, (t) => beans.docFrequency(t)).words[0]!;
    expect(word.alternatives[0]!.expr).toBe('({title tags path body} : "豆" OR {cjk_title cjk_body} : "豆"*)');
    // A three-character word is not a bigram: it is left out of the bigram columns' terms.
    const top = grams.slice(0, 8).map(([t]) => `"${t}"`).join(' OR ');
    expect(word.alternatives[0]!.sampleExpr).toBe(`({title tags path body} : "豆" OR {cjk_title cjk_body} : (${top}))`);
    // A character of a longer word, the same way.
    const chars = planQuery('咖啡豆', beans, (t) => beans.docFrequency(t)).words[0]!.alternatives.find((a) => a.kind === 'char');
    expect(chars?.expr).toContain('{cjk_title cjk_body} : "豆"*');
    expect(chars?.sampleExpr).toContain(`{cjk_title cjk_body} : (${top})`);
    expect(chars?.sampleExpr).not.toContain('*');
  });

  it('gives each word its exact match, its other forms, and its typo variants as separate evidence', () => {
    const plan = planQuery('descale machine ', vocab, df);
    expect(kinds(plan, 0)).toEqual([
      ['exact', '"descale"'],
      ['stem', '"descaler"'],
    ]);
    expect(kinds(plan, 1)).toEqual([
      ['exact', '"machine"'],
      ['stem', '"machines"'],
    ]);
    const typo = planQuery('espreso ', vocab, df);
    expect(kinds(typo, 0)).toEqual([['typo1', '"espresso"']]);
  });

  it('matches a Chinese word as an indexed word and as the phrase of its character bigrams', () => {
    const plan = planQuery('咖啡豆', vocab, df);
    expect(plan.words[0]!.exact).toBe('({title tags path body} : "咖啡豆" OR {cjk_title cjk_body} : "咖啡 啡豆")');
    expect(plan.highlight.substrings).toEqual(['咖啡豆']);
  });

  it('keeps up to 32 words', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const big = new Vocabulary(words.map((w) => [w, 1] as [string, number]));
    const plan = planQuery(words.join(' '), big, (t) => big.docFrequency(t));
    expect(plan.words.map((w) => w.token)).toEqual(words.slice(0, 32));
  });
});
