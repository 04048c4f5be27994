import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { checkSynonymTerms, normaliseSynonymTerm, splitSynonymInput } from '../../src/domain/synonym-rules.js';
import { CachedSynonyms, SynonymSet } from '../../src/search/synonyms.js';
import { planQuery } from '../../src/search/sqlite-fts/query-plan.js';
import { unspacedTerm } from '../../src/search/text.js';
import { Vocabulary } from '../../src/search/vocabulary.js';

/*
 * The pure side of synonyms: what a group may hold (folded as query words are), the lookup
 * the embedded engine does per query word, and how it turns into the FTS expression.
 */

function messageOf(raw: string): { key: string; params?: Record<string, string | number> } {
  try {
    checkSynonymTerms(raw);
  } catch (err) {
    if (err instanceof ValidationError) return err.fields.terms!;
    throw err;
  }
  throw new Error(`accepted: ${raw}`);
}

describe('synonym terms', () => {
  it('are folded exactly like query words: case, accents, width and punctuation', () => {
    expect(normaliseSynonymTerm('Wi-Fi')).toBe('wi fi');
    expect(normaliseSynonymTerm('  Café  Crème ')).toBe('cafe creme');
    expect(normaliseSynonymTerm('ＷＬＡＮ')).toBe('wlan');
    expect(normaliseSynonymTerm('!!!')).toBe('');
  });

  it('are separated by commas (also Chinese ones), semicolons or new lines, in the order typed, without repeats', () => {
    expect(splitSynonymInput('wifi, wi-fi，无线网、WLAN; wireless\nwifi')).toEqual(['wifi', 'wi-fi', '无线网', 'WLAN', 'wireless', 'wifi']);
    expect(checkSynonymTerms('WiFi, wi-fi，WLAN, wifi')).toEqual(['wifi', 'wi fi', 'wlan']);
  });

  it('make a group of 2 to 10 distinct terms of at most 40 characters each', () => {
    expect(messageOf('')).toEqual({ key: 'synonyms.terms.required', params: {} });
    expect(messageOf('wifi')).toEqual({ key: 'synonyms.terms.tooFew', params: { min: 2 } });
    expect(messageOf('Wifi, WIFI')).toEqual({ key: 'synonyms.terms.tooFew', params: { min: 2 } });
    expect(messageOf(Array.from({ length: 11 }, (_, i) => `t${i}`).join(','))).toEqual({ key: 'synonyms.terms.tooMany', params: { max: 10 } });
    expect(checkSynonymTerms(Array.from({ length: 10 }, (_, i) => `t${i}`).join(','))).toHaveLength(10);
    expect(messageOf(`ok, ${'长'.repeat(41)}`)).toEqual({ key: 'synonyms.terms.tooLong', params: { max: 40, term: `${'长'.repeat(20)}…` } });
    expect(checkSynonymTerms(`ok, ${'长'.repeat(40)}`)).toHaveLength(2);
    expect(messageOf('wifi, ---')).toEqual({ key: 'synonyms.terms.noWords', params: { term: '---' } });
  });

  it('read as written when shown: no spaces between Chinese words', () => {
    expect(unspacedTerm('路 由 器')).toBe('路由器');
    expect(unspacedTerm('wi fi')).toBe('wi fi');
    expect(unspacedTerm('x100 电池 续航')).toBe('x100 电池续航');
  });
});

describe('SynonymSet', () => {
  const set = new SynonymSet([{ terms: ['wifi', 'wi fi', 'wlan'] }, { terms: ['路 由 器', 'router'] }]);

  it('gives a term the other terms of its group, and nothing for other words', () => {
    expect(set.alternatives('wifi')).toEqual(['wi fi', 'wlan']);
    expect(set.alternatives('router')).toEqual(['路 由 器']);
    expect(set.alternatives('wireless')).toEqual([]);
    expect(set.has('wi fi')).toBe(true);
    expect(set.longestTerm).toBe(3);
    expect(SynonymSet.EMPTY.longestTerm).toBe(1);
  });
});

describe('CachedSynonyms', () => {
  it('reads the groups again only when the version changed', async () => {
    let version = '1';
    let lists = 0;
    const cached = new CachedSynonyms({ version: async () => version, list: async () => (lists++, [{ terms: ['a1', 'a2'] }]) });
    await cached.current();
    await cached.current();
    expect(lists).toBe(1);
    version = '2';
    expect((await cached.current()).version).toBe('2');
    expect(lists).toBe(2);
    expect((await new CachedSynonyms(null).current()).set).toBe(SynonymSet.EMPTY);
  });
});

describe('query plan with synonyms', () => {
  const vocab = new Vocabulary([['wireless', 4], ['wi', 3], ['fi', 3], ['router', 6], ['路', 2], ['由', 2], ['器', 2], ['drops', 2]]);
  const df = (t: string) => vocab.docFrequency(t);
  const set = new SynonymSet([{ terms: ['wifi', 'wi fi', 'wireless'] }, { terms: ['路 由 器', 'router'] }]);

  it('ORs the other terms of the group into the word’s own exact expression: same tier as the typed word', () => {
    const plan = planQuery('wifi', vocab, df, set);
    expect(plan.ignored).toEqual([]);
    expect(plan.words).toHaveLength(1);
    expect(plan.words[0]!.synonyms).toEqual(['wi fi', 'wireless']);
    expect(plan.words[0]!.alternatives[0]).toMatchObject({ kind: 'exact', expr: '("wifi" OR "wi fi" OR "wireless")' });
    // Without the group the word matches nothing and is left out.
    expect(planQuery('wifi', vocab, df).ignored).toEqual(['wifi']);
  });

  it('takes consecutive query words that form a phrase term as one word, matched as a phrase', () => {
    const plan = planQuery('wi-fi drops', vocab, df, set);
    expect(plan.words.map((w) => w.token)).toEqual(['wi fi', 'drops']);
    expect(plan.words[0]!.exact).toBe('("wi fi" OR "wifi" OR "wireless")');
    expect(plan.words[0]!.prefix).toBe(false);
    expect(plan.words[1]!.alternatives[0]).toMatchObject({ kind: 'exact', expr: '"drops"' });
  });

  it('matches a Chinese term as its phrase and as the characters run together, across languages', () => {
    const plan = planQuery('router', vocab, df, set);
    expect(plan.words[0]!.exact).toBe('("router" OR {title tags path body} : "路由器" OR {cjk_title cjk_body} : "路由 由器")');
    const zh = planQuery('路由器', vocab, df, set);
    expect(zh.words.map((w) => w.token)).toEqual(['路 由 器']);
    expect(zh.words[0]!.exact).toContain('"router"');
  });

  it('marks the synonyms in results too', () => {
    const plan = planQuery('wifi', vocab, df, set);
    expect([...plan.highlight.exact].sort()).toEqual(['fi', 'wi', 'wifi', 'wireless']);
    expect(planQuery('router', vocab, df, set).highlight.substrings).toEqual(['路由器']);
  });

  it('does not look up synonyms for typo variants or half-typed words', () => {
    expect(planQuery('wirel', vocab, df, set).words[0]!.synonyms).toEqual([]);
    expect(planQuery('wireles ', vocab, df, set).words[0]!.synonyms).toEqual([]);
  });
});
