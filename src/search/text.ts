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

/** Lower case without accents; compatibility forms (full-width letters, ligatures) unfolded. */
export function fold(word: string): string {
  if (ASCII.test(word)) return word.toLowerCase();
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

const SCAN_RUN = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * The same words as wordSpans(), given to a callback instead of collected as objects (a
 * snippet scans up to 20,000 characters of each hit). An ASCII word is one token, its lower
 * case; `tokens` is only valid during the call.
 */
export function scanWords(text: string, onWord: (start: number, end: number, tokens: readonly string[]) => void): void {
  const one = [''];
  const word = (start: number, end: number) => {
    const tokens = fold(text.slice(start, end)).split(NON_WORD).filter((t) => t !== '');
    if (tokens.length > 0) onWord(start, end, tokens);
  };
  SCAN_RUN.lastIndex = 0;
  for (let m = SCAN_RUN.exec(text); m !== null; m = SCAN_RUN.exec(text)) {
    const run = m[0];
    const base = m.index;
    if (ASCII.test(run)) {
      one[0] = run.toLowerCase();
      onWord(base, base + run.length, one);
    } else if (NEEDS_SEGMENTER.test(run)) {
      for (const seg of segmenter.segment(run)) {
        if (seg.isWordLike === false) continue;
        word(base + seg.index, base + seg.index + seg.segment.length);
      }
    } else {
      word(base, base + run.length);
    }
  }
  SCAN_RUN.lastIndex = 0;
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

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}
