import { describe, expect, it } from 'vitest';
import { planQuery } from '../../src/search/sqlite-fts/query-plan.js';
import { Vocabulary } from '../../src/search/vocabulary.js';
import { joinedWordsScanned, matchTitle, titleText, titleWords } from '../../src/search/sqlite-fts/title-match.js';
import { SynonymSet } from '../../src/search/synonyms.js';
import { isFunctionWord } from '../../src/search/function-words.js';
import { fold } from '../../src/search/text.js';
import { mulberry32 } from '../helpers/prng.js';

const vocab = new Vocabulary([
  ['quantum', 400],
  ['gates', 40],
  ['gate', 60],
  ['implemented', 20],
  ['reality', 5],
  ['镜头', 30],
  ['起雾', 4],
  ['怎么', 90],
  ['wifi', 10],
  ['wi', 12],
  ['fi', 12],
]);
const df = (t: string) => vocab.docFrequency(t);

function match(q: string, title: string, tags = '', synonyms = SynonymSet.EMPTY) {
  const plan = planQuery(q, vocab, df, synonyms);
  return matchTitle(titleWords(plan.words, plan.words.map((w) => 1 / Math.max(1, w.df))), titleText(title, tags));
}

describe('title evidence for the best candidates', () => {
  it('a title holding every query word, side by side, scores full coverage and proximity', () => {
    // Two of three words side by side: the near pair is the lighter one (pairs weigh as their lighter word).
    const partly = match('quantum gates reality', 'Are quantum gates real? In reality, yes');
    expect(partly.coverage).toBe(1);
    expect(partly.proximity).toBeGreaterThan(0);
    expect(partly.proximity).toBeLessThan(0.5);
    const m = match('quantum gates', 'How are quantum gates realised?');
    expect(m.coverage).toBe(1);
    expect(m.proximity).toBe(1);
  });

  it('the same words far apart cover the title but are not near', () => {
    const m = match('quantum gates', 'Gates, wires and other parts of a quantum computer');
    expect(m.coverage).toBe(1);
    expect(m.proximity).toBe(0);
  });

  it('a rare word weighs more than a common one in title coverage', () => {
    const rare = match('quantum reality', 'Is reality deterministic?').coverage;
    const common = match('quantum reality', 'Quantum walks explained').coverage;
    expect(rare).toBeGreaterThan(0.9);
    expect(common).toBeLessThan(0.1);
    expect(common).toBeGreaterThan(0);
  });

  it('other forms of a word count for less than the word itself', () => {
    const m = match('gates', 'Which gate is universal?');
    expect(m.coverage).toBeGreaterThan(0.5);
    expect(m.coverage).toBeLessThan(1);
  });

  it('tags count as title words, but no pair is near across the title and the tags', () => {
    expect(match('quantum gates', 'How do they work?', 'quantum gates').coverage).toBe(1);
    expect(match('quantum gates', 'What is quantum', 'gates').proximity).toBe(0);
  });

  it('Chinese words match inside the title, wherever the segmenter cut it, and their synonyms count', () => {
    expect(match('镜头起雾', '相机镜头起雾了怎么办')).toEqual({ coverage: 1, proximity: 1 });
    const synonyms = new SynonymSet([{ terms: ['怎么', '如何'] }]);
    expect(match('如何', '镜头起雾怎么办', '', synonyms).coverage).toBe(1);
  });

  it('a phrase synonym matches its words side by side in the title, never across the title and the tags', () => {
    const wifi = new SynonymSet([{ terms: ['wifi', 'wi fi'] }]);
    expect(match('wifi', 'My wi fi keeps dropping', '', wifi).coverage).toBe(1);
    // The phrase ends where the next query word starts: the pair is near.
    expect(match('wifi gates', 'wi fi gates fail', '', wifi)).toEqual({ coverage: 1, proximity: 1 });
    expect(match('wifi', 'Router keeps dropping wi', 'fi', wifi).coverage).toBe(0);
    expect(match('wifi', 'wi and fi', '', wifi).coverage).toBe(0);
  });

  it('the word being typed matches the start of a title word, counted at a prefix match\'s quality, in its place', () => {
    const typed = match('quantum ga', 'How quantum gates work');
    expect(typed.coverage).toBeGreaterThan(0.5);
    expect(typed.coverage).toBeLessThan(1);
    expect(typed.proximity).toBeCloseTo(0.8);
    expect(match('quantum ga', 'Gates of a quantum computer').proximity).toBe(0);
    expect(match('quantum ga', 'A quantum computer', 'gadgets').proximity).toBe(0);
  });

  it('Chinese particles are function words; negations and meaningful words are not', () => {
    for (const w of ['的', '了', '吗', '怎么']) expect(isFunctionWord(w)).toBe(true);
    for (const w of ['不', '没有', '镜头', 'does']) expect(isFunctionWord(w)).toBe(false);
  });

  it('a title is analysed into its tokens, a break, then the tags\' tokens, whatever the script (ASCII titles take a shorter path)', () => {
    // The analysed form spelled out: folded tokens between \u0001, two empty tokens as the break.
    const expected = (title: string, tags: string) => {
      const words = (s: string) => fold(s).match(/[\p{L}\p{N}]+/gu) ?? [];
      return `\u0001${[...words(title), '', '', ...words(tags)].join('\u0001')}\u0001`;
    };
    const cases: Array<[string, string]> = [
      ['How do Quantum GATES work?', 'quantum-gates qubits'],
      ['相机镜头起雾了怎么办？', '镜头 相机'],
      ['Café crème and the X100 电池', 'coffee'],
      ['', 'only-tags'],
      ['Only a title', ''],
      ['', ''],
      ['?!', '-'],
      ['Ｗｉ－Ｆｉ　ｒｏｕｔｅｒ', ''],
    ];
    for (const [title, tags] of cases) {
      const text = titleText(title, tags);
      expect(text.words).toBe(expected(title, tags));
      // The folded copy is kept only when a Chinese (or other unspaced) word could be found in it.
      expect(text.folded === null).toBe(!/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u.test(title + tags));
    }
  });

  it('a typed prefix and a stemmed form are found in a title analysed once and matched by many searches', () => {
    const text = titleText('How quantum gates work', 'physics');
    const plan = (q: string) => planQuery(q, vocab, df, SynonymSet.EMPTY);
    const words = (q: string) => titleWords(plan(q).words, plan(q).words.map(() => 1));
    expect(matchTitle(words('quantum ga'), text)).toEqual({ coverage: 0.9, proximity: 0.8 });
    expect(matchTitle(words('gates quantum'), text).proximity).toBe(0);
    expect(matchTitle(words('quantum gates'), text)).toEqual({ coverage: 1, proximity: 1 });
    // A word found in one search and missed in the next is not carried over.
    expect(matchTitle(words('reality gates'), text)).toEqual({ coverage: 0.5, proximity: 0 });
  });
});

describe('title tokens of non-ASCII text', () => {
  it('are the runs of letters and digits the Unicode regex finds, joined by one separator, for any text', () => {
    const SEP = '\u0001';
    const byRegex = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '').join(SEP);
    // Chinese, full-width forms, accents and combining marks, astral letters and digits
    // (CJK extension B, mathematical digits), emoji, lone surrogates, the separator itself.
    const pieces = ['路由器', '掉线', 'ａｂ１', 'é', 'e\u0301', 'ß', 'Ωμέγα', 'x', '42', ' ', '  ', '-', '，', '。', '\u{20000}', '\u{1D7CE}', '\u{1F600}', '\uD800', '\uDC00', SEP, '\u0000', '١٢٣', 'ⅻ', '_', 'Ab'];
    const rnd = mulberry32(11);
    const texts = ['', ' ', '路', ' 路由器 ', '——', '\u{1F600}路\u{1F600}', ...Array.from({ length: 3000 }, () => Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => pieces[Math.floor(rnd() * pieces.length)]!).join(''))];
    for (const text of texts) expect(joinedWordsScanned(text), JSON.stringify(text)).toBe(byRegex(text));
    expect(joinedWordsScanned(' 路由器，掉线了 x\u{20000}y ')).toBe(['路由器', '掉线了', 'x\u{20000}y'].join(SEP));
  });
});
