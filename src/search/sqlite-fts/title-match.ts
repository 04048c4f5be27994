import { fold, isCjkToken } from '../text.js';
import type { PlannedWord } from './query-plan.js';

/*
 * How well a title answers the query, for the best few candidates (the engine's rerank): a
 * title is what a person writes when asking, so a paraphrase shares more with the title of
 * the question it means than with a long body that happens to use the same words. Two
 * signals, both in [0, 1] (Meilisearch's "attribute" and "proximity" rules, as scores):
 * - title coverage: the share of the query's weight found in the title, where a word's
 *   weight is its idf, so very common words ("quantum", "how", "的") count a little instead
 *   of nothing (their postings are never read: only the titles of the best candidates are);
 * - proximity: the share of neighbouring query-word pairs that stand next to each other (at
 *   most one word apart, in order) in the title: "quantum gates" in a title says more than
 *   "quantum" and "gates" anywhere.
 * An answer is judged by its question's title, the title it is listed under; tags count as
 * part of the title.
 */

export interface TitleMatch {
  coverage: number;
  proximity: number;
}

/** How each query word is recognised in a title: its own forms with their match quality. */
export interface TitleWord {
  weight: number;
  /** Non-CJK: token sequences (one token for a word, several for a phrase synonym) and quality. */
  forms: Array<{ tokens: string[]; quality: number; needle: string }>;
  /** CJK: substrings of the folded title (the word and its synonyms). */
  substrings: string[];
  /** The word is the last one, still being typed: a title word starting with it (after this SEP) matches too. */
  prefixNeedle: string | null;
}

const STEM_QUALITY = 0.85;
const TYPO_QUALITY = 0.5;
const PREFIX_QUALITY = 0.8;
/** Words between two neighbouring query words that still count as near (one: "gates of a" no). */
const NEAR_GAP = 1;
/** For unspaced scripts: characters allowed between two neighbouring query words. */
const NEAR_GAP_CHARS = 2;

/** Between tokens in TitleText.words: tokens are letters and digits only. */
const SEP = '\u0001';

/** A form as searched for in TitleText.words (made once per search, not once per title and form). */
function form(tokens: string[], quality: number): TitleWord['forms'][number] {
  return { tokens, quality, needle: `${SEP}${tokens.join(SEP)}${SEP}` };
}

export function titleWords(words: readonly PlannedWord[], weights: readonly number[]): TitleWord[] {
  return words.map((w, i) => {
    const terms = [w.token, ...w.synonyms];
    const cjk = terms.filter((t) => t.split(' ').every(isCjkToken)).map((t) => t.replace(/ /g, ''));
    const forms: TitleWord['forms'] = [];
    for (const t of terms) if (!t.split(' ').every(isCjkToken)) forms.push(form(t.split(' '), 1));
    for (const f of w.forms) forms.push(form([f], STEM_QUALITY));
    for (const v of w.variants) forms.push(form([v], TYPO_QUALITY));
    return { weight: weights[i]!, forms, substrings: cjk, prefixNeedle: w.prefix ? `${SEP}${w.token}` : null };
  });
}

const ASCII = /^[\x00-\x7f]*$/;
/** What separates the letter-digit tokens of folded ASCII text (lower case: \p{L} there is a-z, \p{N} 0-9), without the Unicode tables. */
const ASCII_NON_WORD = /[^a-z0-9]+/g;

/**
 * The letter-digit tokens of a folded text joined by SEPs ('' for none): its separators
 * replaced by one SEP each, without one at either end (no list of tokens made and joined).
 */
function joinedWords(folded: string, ascii: boolean): string {
  if (!ascii) return joinedWordsScanned(folded);
  const joined = folded.replace(ASCII_NON_WORD, SEP);
  const start = joined.startsWith(SEP) ? 1 : 0;
  const end = joined.length > start && joined.endsWith(SEP) ? joined.length - 1 : joined.length;
  return start === 0 && end === joined.length ? joined : joined.slice(start, end);
}

/** One letter or digit: tokens are the runs of these (\p{L} and \p{N}); anything else separates them. */
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** For each BMP code point: 0 not yet asked, 1 a letter or digit, 2 not. */
const bmpLetterOrDigit = new Uint8Array(0x10000);

/**
 * joinedWords() of a text with non-ASCII characters, by one scan by code point instead of the
 * Unicode-property regex /[^\p{L}\p{N}]+/gu replaced by SEP (about a microsecond a title less:
 * half the benchmark's titles and many tag lists are Chinese). Each code point is classed by
 * the same property test, memoised for the BMP, so the tokens are exactly the regex's: the
 * runs of letters and digits, joined by one SEP each.
 */
export function joinedWordsScanned(folded: string): string {
  let out = '';
  let any = false;
  let runStart = -1;
  for (let i = 0; i < folded.length; ) {
    const cp = folded.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    let word: boolean;
    if (cp < 0x80) word = (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a);
    else if (cp <= 0xffff) {
      let known = bmpLetterOrDigit[cp]!;
      if (known === 0) bmpLetterOrDigit[cp] = known = LETTER_OR_DIGIT.test(folded[i]!) ? 1 : 2;
      word = known === 1;
    } else word = LETTER_OR_DIGIT.test(folded.slice(i, i + 2));
    if (word) {
      if (runStart === -1) runStart = i;
    } else if (runStart !== -1) {
      out = any ? `${out}${SEP}${folded.slice(runStart, i)}` : folded.slice(runStart, i);
      any = true;
      runStart = -1;
    }
    i += width;
  }
  if (runStart !== -1) out = any ? `${out}${SEP}${folded.slice(runStart)}` : folded.slice(runStart);
  return out;
}

/**
 * A title as matching needs it: folded text (for CJK substrings) and its letter-digit tokens,
 * then the tags (what the asker filed the question under), after a break that no neighbouring
 * pair spans.
 */
export function titleText(title: string, tags = ''): TitleText {
  // Folded once each (fold() normalises non-ASCII text, the costly part for Chinese titles).
  const foldedTitle = fold(title);
  const foldedTags = fold(tags);
  const asciiTitle = ASCII.test(foldedTitle);
  const asciiTags = ASCII.test(foldedTags);
  const titleWords = joinedWords(foldedTitle, asciiTitle);
  const tagWords = joinedWords(foldedTags, asciiTags);
  // The title's tokens, two empty tokens as the break, then the tags' tokens (as the token
  // list [...title, '', '', ...tags] joined by SEP, between SEPs).
  const words = `${SEP}${titleWords}${titleWords === '' ? '' : SEP}${SEP}${tagWords === '' ? '' : SEP}${tagWords}${SEP}`;
  const folded = `${foldedTitle}\u0000\u0000\u0000${foldedTags}`;
  // No unspaced-script character can hide in ASCII text.
  return { folded: !(asciiTitle && asciiTags) && isCjkToken(folded) ? folded : null, words };
}

/**
 * A title as two strings (titles are kept for many searches: one string per token and a Map
 * per title took about 770 bytes a title, these about a third of that).
 */
export interface TitleText {
  /** Folded title and tags (for Chinese words, matched as substrings); null without any such character, where none can match. */
  folded: string | null;
  /** The title's tokens, two empty tokens as the break, then the tags' tokens, each between SEPs. */
  words: string;
}

/** The token position of the token starting right after the SEP at `at` in `words`. */
function tokenIndex(words: string, at: number): number {
  let n = 0;
  for (let i = words.indexOf(SEP); i !== -1 && i < at; i = words.indexOf(SEP, i + 1)) n++;
  return n;
}

/*
 * Where each query word was found in the title being matched, by word index: a search
 * matches up to 100 titles, and an object per word and title was most of what it allocated.
 * quality 0: not found. start/end: token positions (non-CJK) or character offsets (CJK).
 */
let foundQuality = new Float64Array(16);
let foundStart = new Int32Array(16);
let foundEnd = new Int32Array(16);
let foundCjk = new Uint8Array(16);

/** Finds word `i` in the title and notes where (found*[i]); returns its match quality (0: not found). */
function findIn(word: TitleWord, title: TitleText, i: number): number {
  if (title.folded !== null) {
    for (const s of word.substrings) {
      const at = title.folded.indexOf(s);
      if (at >= 0) return found(i, 1, at, at + s.length, 1);
    }
  }
  const { words } = title;
  let best = 0;
  for (const form of word.forms) {
    if (best >= form.quality) continue;
    // '' is the break between title and tags, never a word.
    if (form.tokens[0] === '') continue;
    // The first place the form's tokens stand one after the other.
    const at = words.indexOf(form.needle);
    if (at === -1) continue;
    const start = tokenIndex(words, at);
    best = found(i, form.quality, start, start + form.tokens.length, 0);
  }
  if (best === 0 && word.prefixNeedle !== null) {
    const at = words.indexOf(word.prefixNeedle);
    if (at >= 0) {
      const start = tokenIndex(words, at);
      best = found(i, PREFIX_QUALITY, start, start + 1, 0);
    }
  }
  if (best === 0) foundQuality[i] = 0;
  return best;
}

function found(i: number, quality: number, start: number, end: number, cjk: number): number {
  foundQuality[i] = quality;
  foundStart[i] = start;
  foundEnd[i] = end;
  foundCjk[i] = cjk;
  return quality;
}

export function matchTitle(words: readonly TitleWord[], title: TitleText): TitleMatch {
  if (words.length > foundQuality.length) {
    const size = words.length * 2;
    foundQuality = new Float64Array(size);
    foundStart = new Int32Array(size);
    foundEnd = new Int32Array(size);
    foundCjk = new Uint8Array(size);
  }
  let total = 0;
  let covered = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    total += w.weight;
    const quality = findIn(w, title, i);
    if (quality > 0) covered += w.weight * quality;
  }
  let pairs = 0;
  let near = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    const pairWeight = Math.min(words[i]!.weight, words[i + 1]!.weight);
    pairs += pairWeight;
    const qa = foundQuality[i]!;
    const qb = foundQuality[i + 1]!;
    if (qa === 0 || qb === 0 || foundCjk[i] !== foundCjk[i + 1]) continue;
    const cjk = foundCjk[i] === 1;
    const gap = foundStart[i + 1]! - foundEnd[i]!;
    if (gap >= 0 && gap <= (cjk ? NEAR_GAP_CHARS : NEAR_GAP)) near += pairWeight * Math.min(qa, qb);
  }
  return { coverage: total > 0 ? covered / total : 0, proximity: pairs > 0 ? near / pairs : 0 };
}
