import { codePointLength, isCjkToken, tokenize } from '../text.js';
import { MAX_EMBEDDED_QUERY_WORDS } from '../port.js';
import type { Vocabulary } from '../vocabulary.js';
import type { HighlightTerms } from '../highlight.js';
import { SynonymSet } from '../synonyms.js';
import { cjkBigrams } from '../bigrams.js';
import { isFunctionWord } from '../function-words.js';

/*
 * Turns what a person typed into the evidence the embedded engine scores. Query words are
 * evidence, not filters: each word (or phrase term of a synonym group) becomes a TERM with
 * FTS5 expressions grouped by how well they match, and a document is a candidate when it
 * matches any term. The engine then scores documents by field-weighted bm25 per term, the
 * share of the query's weight they cover, typo/exactness and quality; nothing here decides
 * that a document is out because it lacks one word.
 *
 * Every word is a quoted string of letters and digits, so FTS5 syntax in the input
 * ("  *  NEAR(  -  :  parentheses, AND/OR/NOT) is only ever text. Matching follows
 * Meilisearch where it can:
 * - the last word is a prefix while typing;
 * - typo tolerance from the index's own vocabulary (1 typo from 5 characters, 2 from 9);
 * - Chinese (and other unspaced scripts) match as words AND as runs of character bigrams
 *   (the index keeps both side by side), so a query word inside a longer indexed word, or
 *   one the segmenter cut differently in the text, still matches;
 * - synonyms (built-in question words plus the groups an admin declared) count as the
 *   typed word itself.
 */

/** Which kind of match an alternative is; its quality scales the document's score for the term. */
export type MatchKind = 'exact' | 'stem' | 'prefix' | 'completion' | 'typo1' | 'typo2' | 'char';
/**
 * 'prefix': the last word is not a word of the index, so it is being typed and its completions
 * are what is meant. 'completion': the last word is a whole indexed word ("math"), and a longer
 * word starting with it ("mathematical") is weak evidence; several such completions in one
 * document must not outweigh the words it was asked for (measured on the relevance suite).
 * 'char' (a Chinese word's characters one by one) 0.45, not 0.3: in short one-domain questions
 * the segmenter cuts the same word differently from title to title, and the dense Chinese set
 * found 0.7 points more in the top 5 (both halves) for 0.1 less on paraphrase-zh.
 */
export const MATCH_QUALITY: Record<MatchKind, number> = { exact: 1, stem: 0.85, prefix: 0.8, completion: 0.3, typo1: 0.55, typo2: 0.4, char: 0.45 };

export interface TermAlternative {
  kind: MatchKind;
  /** One FTS5 MATCH expression. */
  expr: string;
  /** An upper bound on the documents it matches, from the vocabulary. */
  bound: number;
  /**
   * A cheaper expression for reading a sample of the most recent matches of a broad
   * alternative (bound above the engine's exact limit): the same documents but for a
   * character's rarest bigrams (charBigrams). Read whole, the alternative uses expr.
   */
  sampleExpr: string;
}

export interface PlannedWord {
  token: string;
  /** The exact expression (the word, its synonyms, its bigram phrase). */
  exact: string;
  alternatives: TermAlternative[];
  /** Documents containing the word exactly (an estimate), for its weight. */
  df: number;
  variants: string[];
  /** Other forms of the word (same stem) that were searched for. */
  forms: string[];
  prefix: boolean;
  /** The other terms of the word's synonym group that were searched for. */
  synonyms: string[];
  /** A particle, pronoun or question word ("的", "does"): weighed at a fraction of its idf. */
  functionWord: boolean;
}

export interface QueryPlan {
  words: PlannedWord[];
  ignored: string[];
  highlight: HighlightTerms;
}

const MAX_QUERY_CHARS = 500;
const MAX_TOKEN_CHARS = 64;
/** A prefix with at most this many completions in the vocabulary is searched as those words. */
const MAX_PREFIX_TERMS = 8;
/** A single Chinese character matches the bigrams it starts, at most this many (the most frequent). */
const MAX_CHAR_BIGRAMS = 8;
/** Word columns and bigram columns of the index. */
const WORD_COLUMNS = '{title tags path body}';
const BIGRAM_COLUMNS = '{cjk_title cjk_body}';

function quote(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

function or(exprs: string[]): string {
  const unique = [...new Set(exprs)];
  return unique.length === 1 ? unique[0]! : `(${unique.join(' OR ')})`;
}

interface Alternatives {
  exprs: string[];
  /** The same, with a single character's bigrams as its most frequent ones (for samples). */
  sampleExprs: string[];
  /** An estimate of the documents the expressions match together (for the word's weight). */
  df: number;
  /** An upper bound on the same (for deciding whether to read it whole). */
  bound: number;
}

/**
 * The character bigrams starting with one Chinese character, as an expression over the
 * bigram columns: its MAX_CHAR_BIGRAMS most frequent bigrams in the vocabulary, as exact
 * terms. Not the prefix query `"c"*`: FTS5 has no one-character prefix index, so it answers
 * a prefix by merging the whole posting list of every term in the range before it returns
 * a row (7-9 ms for a common character on 400k posts, whatever the LIMIT), while an OR of a
 * few exact terms is merged lazily, newest first, and stops at the sample (about 1 ms).
 * With at most MAX_CHAR_BIGRAMS bigrams this is the same set of documents; beyond, the
 * most frequent ones hold most of the postings (about 90 % for common characters of the
 * benchmark data) and the character still matches as a word. Used for the samples of a
 * broad alternative only (TermAlternative.sampleExpr): one read whole keeps the prefix,
 * which costs little for a rare character, and the top eight alone lost 0.4 points of
 * paraphrase-zh recall@5 on the relevance suite, whose documents are all read whole.
 * Null when none is indexed.
 */
function charBigrams(char: string, vocab: Vocabulary): string | null {
  const terms: string[] = [];
  for (const e of vocab.withPrefix(char, Number.MAX_SAFE_INTEGER)) {
    if (codePointLength(e.term) === 2 && isCjkToken(e.term)) terms.push(quote(e.term));
    if (terms.length === MAX_CHAR_BIGRAMS) break;
  }
  if (terms.length === 0) return null;
  return `${BIGRAM_COLUMNS} : ${terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`}`;
}

/**
 * A Chinese run: as an indexed word, and as its character bigrams next to each other (a
 * substring of the text, wherever the segmenter cut it). A single character matches as a
 * word or as the first character of a bigram.
 */
function cjkAlternatives(token: string, vocab: Vocabulary, docFrequency: (term: string) => number): Alternatives {
  const grams = cjkBigrams(token);
  const exprs = [`${WORD_COLUMNS} : ${quote(token)}`];
  const sampleExprs = [...exprs];
  let df = docFrequency(token);
  let bound = df;
  if (codePointLength(token) === 1) {
    exprs.push(`${BIGRAM_COLUMNS} : ${quote(token)}*`);
    const starting = charBigrams(token, vocab);
    if (starting) sampleExprs.push(starting);
    const prefixed = vocab.withPrefix(token, MAX_PREFIX_TERMS);
    bound += prefixed.reduce((s, e) => s + e.df, 0);
    // Mostly the same documents: a character the segmenter left alone inside a run is also
    // the start of a bigram there. Added up (and the character counted again as its own
    // prefix), a product name cut into characters (随|借) passed for a word of most
    // documents, and was not read at all.
    const bigrams = prefixed.reduce((s, e) => s + (codePointLength(e.term) === 2 ? e.df : 0), 0);
    df = Math.max(df, bigrams);
  } else if (grams.length > 0) {
    exprs.push(`${BIGRAM_COLUMNS} : ${quote(grams.join(' '))}`);
    sampleExprs.push(exprs[1]!);
    df = Math.max(df, Math.min(...grams.map((g) => docFrequency(g))));
    bound = df;
  }
  return { exprs, sampleExprs, df, bound };
}

/** How one word matches exactly: itself (Chinese also as bigrams). */
function wordAlternatives(token: string, vocab: Vocabulary, docFrequency: (term: string) => number): Alternatives {
  if (isCjkToken(token)) return cjkAlternatives(token, vocab, docFrequency);
  const df = docFrequency(token);
  return { exprs: [quote(token)], sampleExprs: [quote(token)], df, bound: df };
}

/** A phrase term ("wi fi", "借 钱"): its tokens next to each other; Chinese as the characters run together. */
function phraseAlternatives(term: string, vocab: Vocabulary, docFrequency: (term: string) => number): Alternatives {
  const parts = term.split(' ');
  if (parts.every(isCjkToken)) return cjkAlternatives(parts.join(''), vocab, docFrequency);
  const df = Math.min(...parts.map(docFrequency));
  return { exprs: [quote(term)], sampleExprs: [quote(term)], df, bound: df };
}

function termAlternatives(term: string, vocab: Vocabulary, docFrequency: (term: string) => number): Alternatives {
  return term.includes(' ') ? phraseAlternatives(term, vocab, docFrequency) : wordAlternatives(term, vocab, docFrequency);
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
  return [...new Set(words)].slice(0, MAX_EMBEDDED_QUERY_WORDS);
}

/** Marks a term's words in results: Chinese as substrings of the text, other words exactly. */
function addHighlight(term: string, exact: Set<string>, substrings: string[]): void {
  const parts = term.split(' ');
  if (parts.every(isCjkToken)) substrings.push(parts.join(''));
  else for (const p of parts) exact.add(p);
}

/** Other forms (same stem) of single English words, each once, the words themselves left out. */
function stemForms(words: readonly string[], vocab: Vocabulary): Array<{ term: string; df: number }> {
  const own = new Set(words);
  const seen = new Set<string>();
  const out: Array<{ term: string; df: number }> = [];
  for (const word of words) {
    if (word.includes(' ') || isCjkToken(word)) continue;
    for (const form of vocab.stemVariants(word)) {
      if (own.has(form.term) || seen.has(form.term)) continue;
      seen.add(form.term);
      out.push(form);
    }
  }
  return out;
}

/** One query word's plan (a word of the query, or a phrase term of a synonym group); null when nothing in the index matches it. */
function planWord(token: string, prefix: boolean, vocab: Vocabulary, docFrequency: (term: string) => number, synonyms: SynonymSet): PlannedWord | null {
  const phrase = token.includes(' ');
  const cjk = isCjkToken(token);
  const length = codePointLength(token);
  const own = phrase ? phraseAlternatives(token, vocab, docFrequency) : wordAlternatives(token, vocab, docFrequency);
  const exprs = [...own.exprs];
  const sampleExprs = [...own.sampleExprs];
  let df = own.df;
  let bound = own.bound;
  const synonymTerms = synonyms.alternatives(token);
  for (const term of synonymTerms) {
    const alt = termAlternatives(term, vocab, docFrequency);
    exprs.push(...alt.exprs);
    sampleExprs.push(...alt.sampleExprs);
    df += alt.df;
    bound += alt.bound;
  }
  const alternatives: TermAlternative[] = [];
  if (bound > 0) alternatives.push({ kind: 'exact', expr: or(exprs), sampleExpr: or(sampleExprs), bound });
  // Other forms of an English word ("simulate" for "simulation"): people paraphrase with them.
  // A synonym's other forms too: with the group "squeak, squeal", "squeak" finds "squeals" as
  // "squeal" does (the synonym's own form is matched exactly above).
  const forms = phrase || cjk ? [] : stemForms([token, ...synonymTerms], vocab);
  if (forms.length > 0) {
    const expr = or(forms.map((f) => quote(f.term)));
    alternatives.push({ kind: 'stem', expr, sampleExpr: expr, bound: forms.reduce((s, f) => s + f.df, 0) });
  }
  if (prefix) {
    const expansions = vocab.withPrefix(token, MAX_PREFIX_TERMS + 1).filter((e) => e.term !== token);
    const bound = expansions.reduce((sum, e) => sum + e.df, 0);
    // A prefix with few completions is searched as those words: FTS5 reads a handful of
    // exact terms much faster than it scans a prefix range.
    const expr = expansions.length > 0 && expansions.length <= MAX_PREFIX_TERMS ? or(expansions.map((e) => quote(e.term))) : `${quote(token)}*`;
    if (bound > 0 || expansions.length > MAX_PREFIX_TERMS) alternatives.push({ kind: own.df > 0 ? 'completion' : 'prefix', expr, sampleExpr: expr, bound: Math.max(bound, 1) });
  }
  // A Chinese word's characters one by one: the typo tolerance of a script without spelling
  // (发霉 and 长霉, 清理 and 清洁 share a character and most of a meaning).
  if (cjk && !phrase && length >= 2) {
    const chars = [...new Set(Array.from(token))];
    const bound = chars.reduce((s, c) => s + docFrequency(c) + vocab.withPrefix(c, MAX_PREFIX_TERMS).reduce((t, e) => t + e.df, 0), 0);
    const asWords = chars.map((c) => `${WORD_COLUMNS} : ${quote(c)}`);
    const starting = chars.map((c) => charBigrams(c, vocab)).filter((e): e is string => e !== null);
    if (bound > 0) {
      alternatives.push({
        kind: 'char',
        expr: or([...asWords, ...chars.map((c) => `${BIGRAM_COLUMNS} : ${quote(c)}*`)]),
        sampleExpr: or([...asWords, ...starting]),
        bound,
      });
    }
  }
  const formSet = new Set(forms.map((f) => f.term));
  const variants = cjk || phrase ? [] : vocab.typoVariants(token).filter((v) => !formSet.has(v.term));
  for (const distance of [1, 2] as const) {
    const list = variants.filter((v) => v.distance === distance);
    if (list.length === 0) continue;
    const expr = or(list.map((v) => quote(v.term)));
    alternatives.push({ kind: distance === 1 ? 'typo1' : 'typo2', expr, sampleExpr: expr, bound: list.reduce((s, v) => s + v.df, 0) });
  }
  if (alternatives.length === 0) return null;
  const typoDf = variants.reduce((s, v) => s + v.df, 0);
  return {
    token,
    exact: or(exprs),
    alternatives,
    df: df > 0 ? df : Math.max(1, forms.reduce((s, f) => s + f.df, 0) || typoDf),
    variants: variants.map((v) => v.term),
    forms: [...formSet],
    prefix,
    synonyms: synonymTerms,
    functionWord: isFunctionWord(token),
  };
}

/**
 * Planned words kept between searches by the caller (the engine), by word and whether it is
 * the prefix being typed: a word's plan depends only on the vocabulary, the index's document
 * counts and the synonym set, so the caller clears it whenever one of them may have changed.
 * Queries share words, and planning one (typo candidates, prefix completions, counts read
 * from the index for unknown words) cost most of a plan. Null: the word matches nothing.
 */
export type WordPlans = Map<string, PlannedWord | null>;

export function planQuery(raw: string, vocab: Vocabulary, docFrequency: (term: string) => number, synonyms: SynonymSet = SynonymSet.EMPTY, memo?: WordPlans): QueryPlan {
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
    // Chinese needs no prefix: its bigrams already match inside longer words.
    const prefix = !phrase && !cjk && length >= 2 && index === tokens.length - 1 && endsInWord;
    const key = `${prefix ? 'p' : 'w'}${token}`;
    let word = memo?.get(key);
    if (word === undefined) {
      word = planWord(token, prefix, vocab, docFrequency, synonyms);
      memo?.set(key, word);
    }
    if (word === null) ignored.push(token);
    else words.push(word);
  });

  const exact = new Set<string>();
  const substrings: string[] = [];
  for (const w of words) {
    for (const term of [w.token, ...w.synonyms]) addHighlight(term, exact, substrings);
    for (const v of w.variants) exact.add(v);
    for (const f of w.forms) exact.add(f);
  }
  return {
    words,
    ignored,
    highlight: { exact, prefixes: words.filter((w) => w.prefix).map((w) => w.token), substrings },
  };
}
