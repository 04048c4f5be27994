import { EN_ADJECTIVES, EN_NOUNS, EN_TAGS, EN_VERBS, RARE_WORDS, SYLLABLES, ZH_CHARS, ZH_NOUNS, ZH_TAGS, ZH_VERBS } from './words.js';

/**
 * Search queries drawn from the generator's word lists (scripts/bench-lib/words.ts), by
 * kind, each list distinct and in a fixed pseudo-random order (same lists every run).
 * Rare words: the documented rare words and made-up words built like the generator's
 * jargon (three syllables, two Chinese characters), some of which exist and some not.
 */
export function searchMix(): { common: string[]; rare: string[]; zh: string[]; typo: string[]; all: string[] } {
  let seed = 12345;
  const next = (n: number) => {
    // A 32-bit LCG in integer arithmetic (a product of doubles would lose its low bits).
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const pick = <T>(list: readonly T[]) => list[next(list.length)]!;
  const en = [...EN_NOUNS, ...EN_VERBS, ...EN_ADJECTIVES, ...EN_TAGS];
  const zh = [...ZH_NOUNS, ...ZH_VERBS, ...ZH_TAGS];
  const words = (list: readonly string[], n: number, sep: string) => Array.from({ length: n }, () => pick(list)).join(sep);
  const jargonEn = () => words(SYLLABLES, 3, '');
  const jargonZh = () => words(ZH_CHARS, 2, '');
  const rareFixed = Object.values(RARE_WORDS);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  // One edit as people make them: a letter dropped, doubled, replaced or two swapped.
  const typo = (w: string) => {
    const i = 1 + next(w.length - 1);
    switch (next(4)) {
      case 0: return w.slice(0, i) + w.slice(i + 1);
      case 1: return w.slice(0, i) + w[i] + w.slice(i);
      case 2: return w.slice(0, i) + pick([...letters]) + w.slice(i + 1);
      default: return i < w.length - 1 ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2) : w.slice(0, i - 1) + w[i] + w[i - 1];
    }
  };
  const long = en.filter((w) => /^[a-z]{5,}$/.test(w));
  const makers: Record<'common' | 'rare' | 'zh' | 'typo' | 'long', () => string> = {
    common: () => (next(2) === 0 ? words(en, 1 + next(3), ' ') : words(zh, 1 + next(2), ' ')),
    rare: () => {
      const r = next(6);
      const rare = r === 0 ? pick(rareFixed) : r <= 3 ? jargonEn() : jargonZh();
      return next(2) === 0 ? rare : `${rare} ${pick(/[a-z]/.test(rare) ? en : zh)}`;
    },
    zh: () => words(zh, 1 + next(4), ''),
    typo: () => (next(2) === 0 ? typo(pick(long)) : `${pick(en)} ${typo(pick(long))}`),
    long: () => (next(2) === 0 ? words(en, 4 + next(3), ' ') : words(zh, 4 + next(3), next(2) === 0 ? '' : ' ')),
  };
  const lists = { common: new Set<string>(), rare: new Set<string>(), zh: new Set<string>(), typo: new Set<string>(), long: new Set<string>() };
  // 'install device' is the cached route's query; every list is disjoint from the others,
  // so no route warms the result cache for another.
  const used = new Set<string>(['install device']);
  const mixed: string[] = [];
  for (let i = 0; i < 4000; i++) {
    for (const kind of Object.keys(makers) as Array<keyof typeof makers>) {
      const q = makers[kind]();
      if (used.has(q)) continue;
      used.add(q);
      // The first rounds fill the per-kind routes, the later ones the interleaved mix.
      if (i < 2000) lists[kind].add(q);
      else mixed.push(q);
    }
  }
  const out = (s: Set<string>) => [...s];
  return { common: out(lists.common), rare: out(lists.rare), zh: out(lists.zh), typo: out(lists.typo), all: mixed };
}
