import { describe, expect, it } from 'vitest';
import { Vocabulary } from '../../src/search/vocabulary.js';

describe('Vocabulary', () => {
  it('keeps prefix completions right when many new words arrive (merged into the sorted list, not re-sorted)', () => {
    const vocab = new Vocabulary([['kettle', 5], ['kettlebell', 2], ['grinder', 9]]);
    // More than the 5,000 recent words that trigger the merge, in no particular order.
    const added = Array.from({ length: 6001 }, (_, i) => `ke${((i * 7919) % 6001).toString(36)}x`);
    vocab.note(added);
    vocab.note(['kettle']);
    expect(vocab.size).toBe(3 + 6001);
    expect(vocab.withPrefix('kettle').map((e) => e.term)).toEqual(['kettle', 'kettlebell']);
    expect(vocab.docFrequency('kettle')).toBe(6);
    const expected = added.filter((t) => t.startsWith('ke1')).sort();
    expect(vocab.withPrefix('ke1', 10_000).map((e) => e.term).sort()).toEqual(expected);
    expect(vocab.withPrefix('gr').map((e) => e.term)).toEqual(['grinder']);
  });

  it('loads page by page to the same vocabulary as at once', () => {
    const entries: Array<[string, number]> = [['alpha', 3], ['alphabet', 1], ['beta', 2], ['betamax', 4]];
    const paged = new Vocabulary();
    paged.addLoaded(entries.slice(0, 2));
    paged.addLoaded(entries.slice(2));
    paged.finishLoading();
    const whole = new Vocabulary(entries);
    for (const prefix of ['al', 'be', 'b', 'x']) expect(paged.withPrefix(prefix)).toEqual(whole.withPrefix(prefix));
    expect(paged.typoVariants('betamix')).toEqual(whole.typoVariants('betamix'));
  });
});
