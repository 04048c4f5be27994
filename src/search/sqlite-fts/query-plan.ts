import { codePointLength, isCjkToken, tokenize } from '../text.js';
import { MAX_QUERY_WORDS } from '../port.js';
import type { Vocabulary } from '../vocabulary.js';
import type { HighlightTerms } from '../highlight.js';
import { SynonymSet } from '../synonyms.js';

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
 *
 * Synonyms (site-wide groups an admin declared equivalent): a query word, or a run of query
 * words that is a phrase term ("wi fi"), also matches the other terms of its group, as an OR
 * inside that word's own exact expression. A synonym match is therefore ranked like an exact
 * match of the typed word: same tier, then bm25. Not below it, because the admin said the
 * words mean the same and the searcher cannot know which one the author used; Meilisearch
 * also counts a synonym as a zero-typo match, so both engines order results alike. Phrase
 * terms are FTS5 phrase queries (the tokens next to each other, in order). Synonyms of typo
 * variants or of a half-typed prefix are not looked up: only a whole term is a synonym.
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
  /** The other terms of the word's synonym group that were searched for. */
  synonyms: string[];
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

interface Alternatives {
  exprs: string[];
  /** An upper bound on the documents the expressions match together. */
  df: number;
  phraseParts: string[];
}

/**
 * How one word is matched without typos: itself (a prefix with few completions becomes
 * those words) and, for Chinese, the shorter known terms it splits into, as a phrase.
 */
function wordAlternatives(token: string, prefix: boolean, vocab: Vocabulary, docFrequency: (term: string) => number): Alternatives {
  const exprs = [prefix ? `${quote(token)}*` : quote(token)];
  let df = docFrequency(token);
  if (prefix) {
    const expansions = vocab.withPrefix(token, MAX_PREFIX_TERMS + 1);
    df = Math.max(df, expansions.reduce((sum, e) => sum + e.df, 0));
    // A prefix with few completions is searched as those words: FTS5 reads a handful of
    // exact terms much faster than it scans a prefix range.
    if (expansions.length > 0 && expansions.length <= MAX_PREFIX_TERMS) exprs[0] = expansions.map((e) => quote(e.term)).join(' OR ');
  }
  let phraseParts: string[] = [];
  if (isCjkToken(token)) {
    const parts = splitIntoKnownTerms(token, vocab);
    if (parts) {
      phraseParts = parts;
      exprs.push(quote(parts.join(' ')));
      df += Math.min(...parts.map((p) => vocab.docFrequency(p)));
    }
  }
  return { exprs, df, phraseParts };
}

/** A phrase term ("wi fi"): its tokens next to each other; Chinese also as the characters run together. */
function phraseAlternatives(term: string, vocab: Vocabulary, docFrequency: (term: string) => number): Alternatives {
  const parts = term.split(' ');
  const out: Alternatives = { exprs: [quote(term)], df: Math.min(...parts.map(docFrequency)), phraseParts: [] };
  if (parts.every(isCjkToken)) {
    // The segmenter may keep "无线网" whole in a sentence where the term was cut "无线 网".
    const joined = wordAlternatives(parts.join(''), true, vocab, docFrequency);
    out.exprs.push(...joined.exprs.filter((e) => !out.exprs.includes(e)));
    out.df += joined.df;
  }
  return out;
}

/** A synonym is matched as a whole term; a Chinese one as a prefix, like every Chinese query word. */
function termAlternatives(term: string, vocab: Vocabulary, docFrequency: (term: string) => number): Alternatives {
  if (term.includes(' ')) return phraseAlternatives(term, vocab, docFrequency);
  return wordAlternatives(term, isCjkToken(term) && codePointLength(term) >= 2, vocab, docFrequency);
}

/**
 * The query's words, with each run of consecutive words that is a phrase term of a synonym
 * group ("wi fi") taken as one word, longest run first; then duplicates left out.
 */
function queryWords(tokens: string[], synonyms: SynonymSet): string[] {
  const words: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    let taken = 1;
    for (let n = Math.min(synonyms.longestTerm, tokens.length - i); n >= 2; n--) {
      if (synonyms.has(tokens.slice(i, i + n).join(' '))) {
        taken = n;
        break;
      }
    }
    words.push(tokens.slice(i, i + taken).join(' '));
    i += taken;
  }
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

/** Marks a term's words in results: Chinese as substrings of the text, other words exactly. */
function addHighlight(term: string, exact: Set<string>, substrings: string[]): void {
  const parts = term.split(' ');
  if (parts.every(isCjkToken)) substrings.push(parts.join(''));
  else for (const p of parts) exact.add(p);
}

export function planQuery(raw: string, vocab: Vocabulary, docFrequency: (term: string) => number, synonyms: SynonymSet = SynonymSet.EMPTY): QueryPlan {
  const text = raw.slice(0, MAX_QUERY_CHARS);
  const endsInWord = /[\p{L}\p{N}\p{M}]$/u.test(text);
  const tokens = queryWords(
    tokenize(text).map((t) => Array.from(t).slice(0, MAX_TOKEN_CHARS).join('')),
    synonyms,
  );

  const words: PlannedWord[] = [];
  const ignored: string[] = [];
  tokens.forEach((token, index) => {
    const phrase = token.includes(' ');
    const cjk = isCjkToken(token);
    const length = codePointLength(token);
    const prefix = !phrase && length >= 2 && (cjk || (index === tokens.length - 1 && endsInWord));
    const own = phrase ? phraseAlternatives(token, vocab, docFrequency) : wordAlternatives(token, prefix, vocab, docFrequency);
    const alternatives = [...own.exprs];
    let df = own.df;
    const synonymTerms = synonyms.alternatives(token);
    for (const term of synonymTerms) {
      const alt = termAlternatives(term, vocab, docFrequency);
      alternatives.push(...alt.exprs.filter((e) => !alternatives.includes(e)));
      df += alt.df;
    }
    const variants = cjk || phrase ? [] : vocab.typoVariants(token).map((v) => v.term);
    const typoDf = variants.reduce((sum, v) => sum + vocab.docFrequency(v), 0);
    if (df === 0 && typoDf === 0) {
      ignored.push(token);
      return;
    }
    const joined = alternatives.join(' OR ');
    const exact = joined.includes(' OR ') ? `(${joined})` : joined;
    const withTypos = variants.length > 0 ? `(${[...alternatives, ...variants.map(quote)].join(' OR ')})` : null;
    words.push({ token, exact, withTypos, df: df + typoDf, exactDf: df, typoDf: df + typoDf, variants, phraseParts: own.phraseParts, prefix, synonyms: synonymTerms });
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
    for (const term of [w.token, ...w.synonyms]) addHighlight(term, exact, substrings);
    for (const v of w.variants) exact.add(v);
  }
  return {
    words,
    ignored,
    tiers,
    highlight: { exact, prefixes: words.filter((w) => w.prefix && !isCjkToken(w.token)).map((w) => w.token), substrings },
  };
}
