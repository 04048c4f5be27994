import { escapeHtml, wordSpans, type WordSpan } from './text.js';

/*
 * Highlighting works on the original text (never on the segmented copy in the index), so
 * Chinese keeps its spacing and the reader sees exactly what was written. A Latin-script
 * word is marked when one of its folded tokens is a query word, a typo variant that was
 * searched for, or starts with the as-you-type prefix. Chinese query words are marked
 * wherever their characters occur, because the segmenter may have cut the same characters
 * differently in the text than in the query.
 */

export interface HighlightTerms {
  exact: ReadonlySet<string>;
  prefixes: readonly string[];
  /** Matched as plain substrings of the original text (Chinese and other unspaced scripts). */
  substrings?: readonly string[];
}

interface Range {
  start: number;
  end: number;
}

const SCAN_LIMIT = 20_000;

function isMatch(terms: HighlightTerms, span: WordSpan): boolean {
  for (const t of span.tokens) {
    if (terms.exact.has(t)) return true;
    for (const p of terms.prefixes) if (t.startsWith(p)) return true;
  }
  return false;
}

/** Matched ranges in text order, overlapping and touching ones merged. */
function matchRanges(text: string, spans: WordSpan[], terms: HighlightTerms): Range[] {
  return merged(
    text,
    spans.filter((s) => isMatch(terms, s)).map((s) => ({ start: s.start, end: s.end })),
    terms,
  );
}

/*
 * ASCII text (most English posts) is analysed without building a span per word: its words
 * are the runs of ASCII letters and digits, each one folded token (its lower case), exactly
 * what wordSpans() finds there. Snippets scan up to SCAN_LIMIT characters of up to 20 hits a
 * page, and a span object per word was most of that work.
 */
const ASCII_TEXT = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[a-z0-9]+/g;

function isAsciiWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function asciiRanges(text: string, terms: HighlightTerms): Range[] {
  const lower = text.toLowerCase();
  const ranges: Range[] = [];
  ASCII_WORD.lastIndex = 0;
  for (let m = ASCII_WORD.exec(lower); m !== null; m = ASCII_WORD.exec(lower)) {
    const word = m[0];
    let hit = terms.exact.has(word);
    if (!hit) for (const p of terms.prefixes) if (word.startsWith(p)) hit = true;
    if (hit) ranges.push({ start: m.index, end: m.index + word.length });
  }
  ASCII_WORD.lastIndex = 0;
  return merged(text, ranges, terms);
}

/** The word analysis a text needs: the fast ASCII one, or the general one (segmenter, folding). */
type Words = { ascii: true; text: string } | { ascii: false; spans: WordSpan[] };

function analyse(text: string, general: boolean): Words {
  return !general && ASCII_TEXT.test(text) ? { ascii: true, text } : { ascii: false, spans: wordSpans(text) };
}

function rangesOf(text: string, words: Words, terms: HighlightTerms): Range[] {
  return words.ascii ? asciiRanges(text, terms) : matchRanges(text, words.spans, terms);
}

/** The start of the first word starting at or after `from`, or undefined. */
function firstWordStart(words: Words, from: number): number | undefined {
  if (!words.ascii) return words.spans.find((s) => s.start >= from)?.start;
  const t = words.text;
  for (let i = from; i < t.length; i++) if (isAsciiWordChar(t.charCodeAt(i)) && (i === 0 || !isAsciiWordChar(t.charCodeAt(i - 1)))) return i;
  return undefined;
}

/** The end of the last word ending at or before `to` (and after `from`), else `from`. */
function lastWordEnd(words: Words, from: number, to: number): number {
  if (!words.ascii) {
    let lastEnd = from;
    for (const s of words.spans) {
      if (s.start >= to) break;
      if (s.end <= to) lastEnd = s.end;
    }
    return lastEnd;
  }
  const t = words.text;
  for (let i = to; i > from; i--) if (isAsciiWordChar(t.charCodeAt(i - 1)) && (i === t.length || !isAsciiWordChar(t.charCodeAt(i)))) return i;
  return from;
}

/** Adds the substring matches, then sorts and merges overlapping and touching ranges. */
function merged(text: string, ranges: Range[], terms: HighlightTerms): Range[] {
  for (const sub of terms.substrings ?? []) {
    if (sub === '') continue;
    for (let at = text.indexOf(sub); at !== -1 && ranges.length < 2000; at = text.indexOf(sub, at + sub.length)) ranges.push({ start: at, end: at + sub.length });
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

function squash(s: string): string {
  return escapeHtml(s.replace(/\s+/g, ' '));
}

function render(text: string, from: number, to: number, marks: Range[]): string {
  let html = '';
  let at = from;
  for (const m of marks) {
    if (m.start < from || m.end > to) continue;
    html += squash(text.slice(at, m.start));
    html += `<mark>${escapeHtml(text.slice(m.start, m.end))}</mark>`;
    at = m.end;
  }
  return html + squash(text.slice(at, to));
}

/** The whole (short) text with its matches marked, e.g. a title. `general`: without the ASCII fast path (tests compare both). */
export function highlightAll(text: string, terms: HighlightTerms, general = false): string {
  return render(text, 0, text.length, rangesOf(text, analyse(text, general), terms));
}

/**
 * About maxChars of the text around the densest cluster of matches, matches marked, with
 * an ellipsis where the text was cut. Without a match it is the start of the text.
 */
export function snippet(full: string, terms: HighlightTerms, maxChars = 200, general = false): string {
  const text = full.length > SCAN_LIMIT ? full.slice(0, SCAN_LIMIT) : full;
  const words = analyse(text, general);
  const marks = rangesOf(text, words, terms);
  let start = 0;
  if (marks.length > 0) {
    // The window (starting a little before a match) holding the most distinct matched words.
    const lead = Math.min(40, Math.floor(maxChars / 4));
    let best = -1;
    for (const m of marks.slice(0, 300)) {
      const from = Math.max(0, m.start - lead);
      const seen = new Set<string>();
      for (const n of marks) {
        if (n.start >= from && n.end <= from + maxChars) seen.add(text.slice(n.start, n.end).toLowerCase());
      }
      if (seen.size > best) {
        best = seen.size;
        start = from;
      }
    }
  }
  // Use the whole width: a window running past the end moves back.
  start = Math.max(0, Math.min(start, text.length - maxChars));
  // Start and end on word boundaries so no word is cut in half.
  if (start > 0) start = firstWordStart(words, start) ?? start;
  let end = Math.min(text.length, start + maxChars);
  if (end < text.length) {
    const lastEnd = lastWordEnd(words, start, end);
    if (lastEnd > start) end = lastEnd;
    // A mark cut by the window is left out rather than shown in half.
  }
  const body = render(text, start, end, marks).trim();
  return (start > 0 ? '…' : '') + body + (end < full.length ? '…' : '');
}
