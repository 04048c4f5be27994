import { codePointLength, isCjkToken, tokenize } from '../text.js';
import { MAX_QUERY_WORDS } from '../port.js';
import type { Vocabulary } from '../vocabulary.js';
import type { HighlightTerms } from '../highlight.js';

/*
 * Turns what a person typed into FTS5 MATCH expressions. Every word becomes a quoted
 * string of letters and digits, so FTS5 syntax ("  *  NEAR(  -  :  parentheses, AND/OR/NOT)
 * in the input is only ever text. Matching follows Meilisearch:
 * - the last word is a prefix (as you type), and so are Chinese words, which protects
 *   against the query and the text being segmented differently;
 * - typo tolerance from the index's own vocabulary (1 typo from 5 characters, 2 from 9);
 * - documents with fewer of the words follow those with all of them (Meilisearch drops
 *   words too; its "frequency" strategy keeps the rarest), ranked in tiers: all words
 *   without typos, all words with typos, then one word fewer, and so on.
 */

export interface PlannedWord {
  token: string;
  /** FTS expression matching the word exactly (or as prefix). */
  exact: string;
  /** FTS expression including typo variants; null when there are none. */
  withTypos: string | null;
  /** Documents containing the word (or a term it is a prefix of); drop order. */
  df: number;
  /** Upper bounds on the documents the exact and the typo-tolerant expressions match. */
  exactDf: number;
  typoDf: number;
  variants: string[];
  phraseParts: string[];
  prefix: boolean;
}

export interface QueryTier {
  expr: string;
  /** An upper bound on the documents this tier matches, from the vocabulary. */
  bound: number;
  words: number;
  typos: boolean;
}

export interface QueryPlan {
  words: PlannedWord[];
  ignored: string[];
  tiers: QueryTier[];
  highlight: HighlightTerms;
}

const MAX_QUERY_CHARS = 500;
const MAX_TOKEN_CHARS = 64;
/** Above this many word combinations a relaxation level keeps only the rarest words. */
const MAX_COMBINATIONS = 12;
/** Longer queries drop their most frequent words one by one instead (combinations of common words are slow to match). */
const MAX_WORDS_FOR_COMBINATIONS = 4;
/** A prefix with at most this many completions in the vocabulary is searched as those words. */
const MAX_PREFIX_TERMS = 8;

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** All subsets of size k, in the original word order. */
function combinations<T>(items: T[], k: number): T[][] {
  const out: T[][] = [];
  const walk = (start: number, acc: T[]) => {
    if (acc.length === k) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i <= items.length - (k - acc.length); i++) walk(i + 1, [...acc, items[i]!]);
  };
  walk(0, []);
  return out;
}

function quote(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

/**
 * Splits a Chinese word into shorter known terms (longest first), for a phrase alternative:
 * the segmenter can cut the same characters differently in a sentence than in a short query
 * ("咖啡机" alone, "咖啡" + "机" in "我的意式咖啡机"), and the phrase matches the latter.
 */
function splitIntoKnownTerms(word: string, vocab: Vocabulary): string[] | null {
  const chars = Array.from(word);
  if (chars.length < 2) return null;
  const parts: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let found = '';
    const longest = i === 0 ? chars.length - 1 : chars.length;
    for (let j = Math.min(longest, i + 6); j > i; j--) {
      const candidate = chars.slice(i, j).join('');
      if (vocab.has(candidate)) {
        found = candidate;
        break;
      }
    }
    if (!found) return null;
    parts.push(found);
    i += Array.from(found).length;
  }
  return parts;
}

export function planQuery(raw: string, vocab: Vocabulary, docFrequency: (term: string) => number): QueryPlan {
  const text = raw.slice(0, MAX_QUERY_CHARS);
  const endsInWord = /[\p{L}\p{N}\p{M}]$/u.test(text);
  const tokens = [...new Set(tokenize(text).map((t) => Array.from(t).slice(0, MAX_TOKEN_CHARS).join('')))].slice(0, MAX_QUERY_WORDS);

  const words: PlannedWord[] = [];
  const ignored: string[] = [];
  tokens.forEach((token, index) => {
    const cjk = isCjkToken(token);
    const length = codePointLength(token);
    const prefix = length >= 2 && (cjk || (index === tokens.length - 1 && endsInWord));
    const alternatives = [prefix ? `${quote(token)}*` : quote(token)];
    let df = docFrequency(token);
    if (prefix) {
      const expansions = vocab.withPrefix(token, MAX_PREFIX_TERMS + 1);
      df = Math.max(df, expansions.reduce((sum, e) => sum + e.df, 0));
      // A prefix with few completions is searched as those words: FTS5 reads a handful of
      // exact terms much faster than it scans a prefix range.
      if (expansions.length > 0 && expansions.length <= MAX_PREFIX_TERMS) alternatives[0] = expansions.map((e) => quote(e.term)).join(' OR ');
    }
    let phraseParts: string[] = [];
    if (cjk) {
      const parts = splitIntoKnownTerms(token, vocab);
      if (parts) {
        phraseParts = parts;
        alternatives.push(quote(parts.join(' ')));
        df += Math.min(...parts.map((p) => vocab.docFrequency(p)));
      }
    }
    const variants = cjk ? [] : vocab.typoVariants(token).map((v) => v.term);
    const typoDf = variants.reduce((sum, v) => sum + vocab.docFrequency(v), 0);
    if (df === 0 && typoDf === 0) {
      ignored.push(token);
      return;
    }
    const joined = alternatives.join(' OR ');
    const exact = joined.includes(' OR ') ? `(${joined})` : joined;
    const withTypos = variants.length > 0 ? `(${[...alternatives, ...variants.map(quote)].join(' OR ')})` : null;
    words.push({ token, exact, withTypos, df: df + typoDf, exactDf: df, typoDf: df + typoDf, variants, phraseParts, prefix });
  });

  // Relaxation: documents with all the words first, then (for queries of up to four words)
  // with all but one (any one), and so on down to half of the words; below that, and for
  // longer queries, only the rarest words are kept (as in Meilisearch's "frequency"
  // strategy), ending with the rarest word alone. At each level, exact matches come before
  // typo matches.
  const rarestFirst = words
    .map((w, i) => ({ w, i }))
    .sort((a, b) => a.w.df - b.w.df || a.i - b.i)
    .map((x) => x.w);
  const minAnyOf = Math.max(1, Math.ceil(words.length / 2));
  const tiers: QueryTier[] = [];
  const seen = new Set<string>();
  const push = (subsets: PlannedWord[][], typos: boolean, kept: number) => {
    const expr = subsets.map((set) => set.map((w) => (typos ? (w.withTypos ?? w.exact) : w.exact)).join(' AND ')).map((e) => (subsets.length > 1 ? `(${e})` : e)).join(' OR ');
    if (seen.has(expr)) return;
    seen.add(expr);
    const bound = subsets.reduce((sum, set) => sum + Math.min(...set.map((w) => (typos ? w.typoDf : w.exactDf))), 0);
    tiers.push({ expr, bound, words: kept, typos });
  };
  // A single Chinese character (机, 的) is too weak to be the only thing a result shares with
  // a longer query.
  const weak = (w: PlannedWord) => isCjkToken(w.token) && codePointLength(w.token) === 1;
  const strongEnough = (set: PlannedWord[]) => set.length === words.length || set.length > 1 || !weak(set[0]!);
  for (let kept = words.length; kept >= 1; kept--) {
    const anyOf = words.length <= MAX_WORDS_FOR_COMBINATIONS && kept >= minAnyOf && binomial(words.length, kept) <= MAX_COMBINATIONS;
    const all = anyOf ? combinations(words, kept) : [rarestFirst.slice(0, kept)];
    const subsets = all.filter(strongEnough);
    if (subsets.length === 0) continue;
    push(subsets, false, kept);
    if (subsets.some((set) => set.some((w) => w.withTypos))) push(subsets, true, kept);
  }
  const exact = new Set<string>();
  const substrings: string[] = [];
  for (const w of words) {
    if (isCjkToken(w.token)) substrings.push(w.token);
    else exact.add(w.token);
    for (const v of w.variants) exact.add(v);
  }
  return {
    words,
    ignored,
    tiers,
    highlight: { exact, prefixes: words.filter((w) => w.prefix && !isCjkToken(w.token)).map((w) => w.token), substrings },
  };
}
