import { escapeHtmlText } from '../http/html-escape.js';
/*
 * Text analysis shared by indexing, querying and highlighting, so that all three see the
 * same words: Chinese, Japanese and the South-East Asian scripts written without spaces are
 * cut into words with Intl.Segmenter; everything is lower-cased and accent-folded
 * ("Café" -> "cafe"). Tokens contain letters and digits only, so they pass through FTS5's
 * unicode61 tokenizer unchanged and can never carry query syntax.
 */

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const RUN = /[\p{L}\p{N}\p{M}]+/gu;
const NEEDS_SEGMENTER = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const NON_WORD = /[^\p{L}\p{N}]+/u;
const ASCII = /^[\x00-\x7f]*$/;
const COMBINING = /\p{Mn}+/gu;

/*
 * Text that normalisation leaves as it is, character by character, apart from the full-width
 * ASCII forms: ASCII, CJK ideographs (no decomposition), the Chinese full stop and comma and
 * curly quotes. No two of these compose, and none is a combining mark, so for such text the
 * two normalisations amount to mapping each full-width form (U+FF01-FF5E) to its ASCII
 * character. Most Chinese titles and words are such text; normalising them twice was most of
 * folding them. (test/unit/search-text.test.ts compares both ways over every such character.)
 */
const PLAIN_FOLD = /^[\x00-\x7f\u2018-\u201d\u3001\u3002\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]*$/;
const FULL_WIDTH = /[\uff01-\uff5e]/g;
const halfWidth = (c: string) => String.fromCharCode(c.charCodeAt(0) - 0xfee0);

/** Lower case without accents; compatibility forms (full-width letters, ligatures) unfolded. */
export function fold(word: string): string {
  if (ASCII.test(word)) return word.toLowerCase();
  if (PLAIN_FOLD.test(word)) return word.replace(FULL_WIDTH, halfWidth).toLowerCase();
  return foldNormalised(word);
}

/** fold() by Unicode normalisation alone (the general way; exported for the tests). */
export function foldNormalised(word: string): string {
  return word.normalize('NFKD').replace(COMBINING, '').normalize('NFC').toLowerCase();
}

export interface WordSpan {
  /** UTF-16 offsets into the original text. */
  start: number;
  end: number;
  /** Folded tokens of the word (usually one; a compatibility form can unfold into several). */
  tokens: string[];
}

function pushWord(out: WordSpan[], text: string, start: number, end: number): void {
  const folded = fold(text.slice(start, end));
  const tokens = folded.split(NON_WORD).filter((t) => t !== '');
  if (tokens.length > 0) out.push({ start, end, tokens });
}

/** The words of a text with their positions in the original (for highlighting). */
export function wordSpans(text: string, limit = Infinity): WordSpan[] {
  const out: WordSpan[] = [];
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m !== null; m = RUN.exec(text)) {
    const run = m[0];
    const base = m.index;
    if (NEEDS_SEGMENTER.test(run)) {
      for (const seg of segmenter.segment(run)) {
        if (seg.isWordLike === false) continue;
        pushWord(out, text, base + seg.index, base + seg.index + seg.segment.length);
      }
    } else {
      pushWord(out, text, base, base + run.length);
    }
    if (out.length >= limit) break;
  }
  RUN.lastIndex = 0;
  return out;
}

/**
 * Where the segmenter cuts a run of an unspaced script into words: (offset, length) pairs of
 * its word-like segments. Segmenting costs about 10 µs a run however short, and the same runs
 * (words between punctuation) come back in text after text: kept, bounded.
 */
const cutsByRun = new Map<string, Int32Array>();
function wordCuts(run: string): Int32Array {
  let cuts = cutsByRun.get(run);
  if (cuts) return cuts;
  const list: number[] = [];
  for (const seg of segmenter.segment(run)) if (seg.isWordLike !== false) list.push(seg.index, seg.segment.length);
  cuts = Int32Array.from(list);
  if (run.length <= 64) {
    if (cutsByRun.size >= 20_000) cutsByRun.clear();
    cutsByRun.set(run, cuts);
  }
  return cuts;
}

/** A run of letters, digits and marks starting exactly at lastIndex. */
const RUN_AT = /[\p{L}\p{N}\p{M}]+/uy;

function isAsciiWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * The same words as wordSpans(), given to a callback instead of collected as objects (a
 * snippet scans up to 20,000 characters of each hit). Runs of ASCII letters and digits are
 * found by their character codes (most words of most posts); anything else by the same
 * Unicode expression wordSpans() uses. An ASCII word is one token, its lower case; `tokens`
 * is only valid during the call. `opaque` is offered each run of an unspaced script first:
 * when it returns true, the run's words are not given.
 */
export function scanWords(text: string, onWord: (start: number, end: number, tokens: readonly string[]) => void, opaque?: (start: number, end: number, run: string) => boolean): void {
  const one = [''];
  const word = (start: number, end: number) => {
    const tokens = fold(text.slice(start, end)).split(NON_WORD).filter((t) => t !== '');
    if (tokens.length > 0) onWord(start, end, tokens);
  };
  const run = (value: string, base: number) => {
    if (ASCII.test(value)) {
      one[0] = value.toLowerCase();
      onWord(base, base + value.length, one);
    } else if (NEEDS_SEGMENTER.test(value)) {
      // The caller may take the run whole (it has no use for its words, or reads them later
      // by scanning the run alone, which gives the same words): segmenting is the costly part.
      if (opaque?.(base, base + value.length, value)) return;
      const cuts = wordCuts(value);
      for (let k = 0; k < cuts.length; k += 2) word(base + cuts[k]!, base + cuts[k]! + cuts[k + 1]!);
    } else {
      word(base, base + value.length);
    }
  };
  /** The run starting at i (by the Unicode expression), or null. */
  const runAt = (i: number): string | null => {
    RUN_AT.lastIndex = i;
    const m = RUN_AT.exec(text);
    return m ? m[0] : null;
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (!isAsciiWordChar(c)) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && isAsciiWordChar(text.charCodeAt(j))) j++;
      if (j < n && text.charCodeAt(j) >= 128) {
        // The run may go on in another script ("café"): read it whole the general way.
        const value = runAt(i)!;
        run(value, i);
        i += value.length;
      } else {
        one[0] = text.slice(i, j).toLowerCase();
        onWord(i, j, one);
        i = j;
      }
      continue;
    }
    const value = runAt(i);
    if (value !== null) {
      run(value, i);
      i += value.length;
    } else {
      // Not a word character: step over it (both halves of a surrogate pair).
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    }
  }
}

/** The tokens of a text, in order. */
export function tokenize(text: string): string[] {
  if (ASCII.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const out: string[] = [];
  for (const span of wordSpans(text)) out.push(...span.tokens);
  return out;
}

/** What the FTS table stores for a text: its tokens joined by spaces. */
export function segmentForIndex(text: string | null | undefined): string {
  if (!text) return '';
  return tokenize(text).join(' ');
}

export function isCjkToken(token: string): boolean {
  return NEEDS_SEGMENTER.test(token);
}

/**
 * Space-joined tokens as the language writes them: no space between two tokens of a script
 * written without spaces ("路 由 器" -> "路由器", "wi fi" stays, "x100 电池" stays). For
 * people reading a term, and for an engine that segments Chinese itself.
 */
export function unspacedTerm(term: string): string {
  const parts = term.split(' ');
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i++) out += (isCjkToken(parts[i - 1]!) && isCjkToken(parts[i]!) ? '' : ' ') + parts[i]!;
  return out;
}

export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The one HTML escape (http/html-escape.ts), for snippets and titles. */
export const escapeHtml: (s: string) => string = escapeHtmlText;
