import { describe, expect, it } from 'vitest';
import { planQuery } from '../../src/search/sqlite-fts/query-plan.js';
import { Vocabulary } from '../../src/search/vocabulary.js';

/*
 * The planner's document counts, which become each query word's weight (its idf) and decide
 * whether a word is too common to read (the engine ignores a word of most documents beside
 * meaningful ones).
 */
describe('planQuery: a single Chinese character', () => {
  // 随借 is cut 随|借 by the segmenter wherever it is written: in 8 documents the index holds
  // the word 随 and, beside it, the bigram 随借 (bigram columns share the vocabulary).
  const vocab = new Vocabulary([['随', 8], ['随借', 8], ['借', 10], ['借款', 4], ['借钱', 3], ['额度', 6], ['提高', 2]]);
  const plan = planQuery('随借额度', vocab, (t) => vocab.docFrequency(t));
  const word = (token: string) => plan.words.find((w) => w.token === token)!;

  it('counts the documents holding it once, not once as a word and again as the start of its bigrams', () => {
    expect(word('随').df).toBe(8);
    // 借 alone in 10 documents; its bigrams 借款 and 借钱 in 7: at least 10, at most 17.
    expect(word('借').df).toBeGreaterThanOrEqual(10);
    expect(word('借').df).toBeLessThan(17);
  });

  it('still reads it as an upper bound of every match (word and bigrams together)', () => {
    const exact = word('随').alternatives.find((a) => a.kind === 'exact')!;
    expect(exact.bound).toBeGreaterThanOrEqual(16);
  });
});
