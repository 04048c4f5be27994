import { escapeHtml, scanWords, wordSpans, type WordSpan } from './text.js';

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
 * Snippets scan up to SCAN_LIMIT characters of up to 20 hits a page: the words are read
 * with scanWords() (the same words as wordSpans(), without an object per word), keeping
 * only their offsets for the word-boundary cuts. `general` uses wordSpans() itself (tests
 * compare both).
 */
type Words = { starts: number[]; ends: number[] } | { spans: WordSpan[] };

function analyse(text: string, terms: HighlightTerms, general: boolean): { words: Words; marks: Range[] } {
  if (general) {
    const spans = wordSpans(text);
    return { words: { spans }, marks: matchRanges(text, spans, terms) };
  }
  const starts: number[] = [];
  const ends: number[] = [];
  const ranges: Range[] = [];
  scanWords(text, (start, end, tokens) => {
    starts.push(start);
    ends.push(end);
    for (const t of tokens) {
      let hit = terms.exact.has(t);
      if (!hit) for (const p of terms.prefixes) if (t.startsWith(p)) hit = true;
      if (hit) {
        ranges.push({ start, end });
        break;
      }
    }
  });
  return { words: { starts, ends }, marks: merged(text, ranges, terms) };
}

/** The start of the first word starting at or after `from`, or undefined. */
function firstWordStart(words: Words, from: number): number | undefined {
  if ('spans' in words) return words.spans.find((s) => s.start >= from)?.start;
  const at = firstAtLeast(words.starts, from);
  return at < words.starts.length ? words.starts[at] : undefined;
}

/** The first index whose value is >= x in an ascending list (the list's length if none). */
function firstAtLeast(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The end of the last word ending at or before `to` (of the words starting before it), else `from`. */
function lastWordEnd(words: Words, from: number, to: number): number {
  let lastEnd = from;
  if ('spans' in words) {
    for (const s of words.spans) {
      if (s.start >= to) break;
      if (s.end <= to) lastEnd = s.end;
    }
    return lastEnd;
  }
  // Words do not overlap, so their ends ascend with their starts: the last word starting
  // before `to` ends by it, or else the one before it does.
  const { starts, ends } = words;
  const last = firstAtLeast(starts, to) - 1;
  if (last >= 0) lastEnd = ends[last]! <= to ? ends[last]! : last > 0 ? ends[last - 1]! : lastEnd;
  return lastEnd;
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
  return render(text, 0, text.length, analyse(text, terms, general).marks);
}

/**
 * About maxChars of the text around the densest cluster of matches, matches marked, with
 * an ellipsis where the text was cut. Without a match it is the start of the text.
 */
export function snippet(full: string, terms: HighlightTerms, maxChars = 200, general = false): string {
  const text = full.length > SCAN_LIMIT ? full.slice(0, SCAN_LIMIT) : full;
  const { words, marks } = analyse(text, terms, general);
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
