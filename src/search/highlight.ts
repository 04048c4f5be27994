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

export interface Range {
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
 *
 * Cutting Chinese into words (Intl.Segmenter) was most of a snippet's cost, and for most
 * queries no Chinese word can be marked: Chinese query words are marked as substrings of
 * the text, and only the exact terms and prefixes are compared with the words. A run of
 * plain ideographs and kana (PLAIN_RUN) only has words made of those characters (folding
 * leaves them as they are, or drops a voicing mark), so when no exact term or prefix starts
 * with one of them (plainRunsInert), such a run holds no mark and is kept whole, as one
 * entry of the word list (`runs`). Only the window's two cuts need its words: those runs
 * are segmented then (runWords), with the same scanner, so the cuts fall where they would.
 */
type Words = { starts: number[]; ends: number[]; runs: Set<number>; text: string } | { spans: WordSpan[] };

const PLAIN_RUN = /^[\u3400-\u4dbf\u4e00-\u9fff\u3041-\u3096\u30a1-\u30fa\u30fc]+$/;
const PLAIN_FIRST = /^[\u3400-\u4dbf\u4e00-\u9fff\u3041-\u3096\u30a1-\u30fa\u30fc]/;

/** True when no word of a PLAIN_RUN can be marked by these terms. */
function plainRunsInert(terms: HighlightTerms): boolean {
  // A search highlights its 20 titles and 20 snippets with one terms object: answered once.
  if (terms === lastTerms) return lastInert;
  let inert = true;
  for (const t of terms.exact) if (t === '' || PLAIN_FIRST.test(t)) inert = false;
  for (const p of terms.prefixes) if (p === '' || PLAIN_FIRST.test(p)) inert = false;
  lastTerms = terms;
  lastInert = inert;
  return inert;
}
let lastTerms: HighlightTerms | null = null;
let lastInert = false;

/** Whether one of a word's tokens is an exact term or starts with a prefix. */
function tokensMatch(terms: HighlightTerms, tokens: readonly string[]): boolean {
  for (const t of tokens) {
    if (terms.exact.has(t)) return true;
    for (const p of terms.prefixes) if (t.startsWith(p)) return true;
  }
  return false;
}

const keepPlainRunWhole = (_start: number, _end: number, run: string) => PLAIN_RUN.test(run);

/** The marks alone, for a text shown whole (a title): no word list, which only snippets' cuts need. */
function marksOf(text: string, terms: HighlightTerms): Range[] {
  const ranges: Range[] = [];
  scanWords(
    text,
    (start, end, tokens) => {
      if (tokensMatch(terms, tokens)) ranges.push({ start, end });
    },
    plainRunsInert(terms) ? keepPlainRunWhole : undefined,
  );
  return merged(text, ranges, terms);
}

function analyse(text: string, terms: HighlightTerms, general: boolean): { words: Words; marks: Range[] } {
  if (general) {
    const spans = wordSpans(text);
    return { words: { spans }, marks: matchRanges(text, spans, terms) };
  }
  const starts: number[] = [];
  const ends: number[] = [];
  const runs = new Set<number>();
  const ranges: Range[] = [];
  const opaque = plainRunsInert(terms)
    ? (start: number, end: number, run: string) => {
        if (!PLAIN_RUN.test(run)) return false;
        runs.add(starts.length);
        starts.push(start);
        ends.push(end);
        return true;
      }
    : undefined;
  scanWords(
    text,
    (start, end, tokens) => {
      starts.push(start);
      ends.push(end);
      if (tokensMatch(terms, tokens)) ranges.push({ start, end });
    },
    opaque,
  );
  return { words: { starts, ends, runs, text }, marks: merged(text, ranges, terms) };
}

/** The words of a run kept whole (entry k of the word list), as scanWords() gives them in the whole text. */
function runWords(words: { starts: number[]; ends: number[]; text: string }, k: number): { starts: number[]; ends: number[] } {
  const base = words.starts[k]!;
  const starts: number[] = [];
  const ends: number[] = [];
  scanWords(words.text.slice(base, words.ends[k]!), (start, end) => {
    starts.push(base + start);
    ends.push(base + end);
  });
  return { starts, ends };
}

/** The start of the first word starting at or after `from`, or undefined. */
function firstWordStart(words: Words, from: number): number | undefined {
  if ('spans' in words) return words.spans.find((s) => s.start >= from)?.start;
  const { starts, ends, runs } = words;
  let k = firstAtLeast(starts, from);
  // A run starting before `from` may hold words starting after it.
  if (k > 0 && runs.has(k - 1) && ends[k - 1]! > from) {
    const inner = runWords(words, k - 1).starts.find((s) => s >= from);
    if (inner !== undefined) return inner;
  }
  for (; k < starts.length; k++) {
    if (!runs.has(k)) return starts[k];
    const inner = runWords(words, k).starts;
    if (inner.length > 0) return inner[0];
  }
  return undefined;
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
  // before `to` ends by it, or else the one before it does. Those two words, last first
  // (a run kept whole gives its own words).
  const { starts, ends, runs } = words;
  const found: number[] = [];
  for (let k = firstAtLeast(starts, to) - 1; k >= 0 && found.length < 2; k--) {
    if (!runs.has(k)) {
      found.push(ends[k]!);
      continue;
    }
    const inner = runWords(words, k);
    for (let j = inner.starts.length - 1; j >= 0 && found.length < 2; j--) if (inner.starts[j]! < to) found.push(inner.ends[j]!);
  }
  if (found.length === 0) return lastEnd;
  if (found[0]! <= to) return found[0]!;
  return found.length > 1 ? found[1]! : lastEnd;
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

/** Whitespace that squash() changes: anything but a lone space (a run, or a tab, newline...). */
const UNSQUASHED = /[^\S ]| {2}/;

/** Runs of whitespace as one space, HTML-escaped. Text whose every run is one space already is left as it is (no replace pass). */
function squash(s: string): string {
  return escapeHtml(UNSQUASHED.test(s) ? s.replace(/\s+/g, ' ') : s);
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

/**
 * Where the window of maxChars (starting a little before a match) holding the most distinct
 * matched words starts; the first such window. `marks`: merged (sorted, apart).
 */
export function densestWindow(text: string, marks: readonly Range[], maxChars: number): number {
  const lead = Math.min(40, Math.floor(maxChars / 4));
  let start = 0;
  // Merged marks neither overlap nor touch, so their starts and their ends both ascend, and
  // the marks inside a window (start >= from, end <= from + maxChars) are a run of the list
  // that slides forward as the window does: counted with two indices, not by comparing
  // every mark with every other (a common word marked hundreds of times in a long body).
  const keys = marks.map((n) => text.slice(n.start, n.end).toLowerCase());
  const counts = new Map<string, number>();
  let distinct = 0;
  let lo = 0;
  let hi = 0;
  let best = -1;
  for (let i = 0; i < marks.length && i < 300; i++) {
    const from = Math.max(0, marks[i]!.start - lead);
    const to = from + maxChars;
    for (; hi < marks.length && marks[hi]!.end <= to; hi++) {
      const c = counts.get(keys[hi]!) ?? 0;
      if (c === 0) distinct++;
      counts.set(keys[hi]!, c + 1);
    }
    for (; lo < hi && marks[lo]!.start < from; lo++) {
      const c = counts.get(keys[lo]!)!;
      if (c === 1) distinct--;
      counts.set(keys[lo]!, c - 1);
    }
    if (distinct > best) {
      best = distinct;
      start = from;
    }
  }
  return start;
}

/** The whole (short) text with its matches marked, e.g. a title. `general`: without the ASCII fast path (tests compare both). */
export function highlightAll(text: string, terms: HighlightTerms, general = false): string {
  return render(text, 0, text.length, general ? analyse(text, terms, true).marks : marksOf(text, terms));
}

/**
 * About maxChars of the text around the densest cluster of matches, matches marked, with
 * an ellipsis where the text was cut. Without a match it is the start of the text.
 */
export function snippet(full: string, terms: HighlightTerms, maxChars = 200, general = false): string {
  const text = full.length > SCAN_LIMIT ? full.slice(0, SCAN_LIMIT) : full;
  const { words, marks } = analyse(text, terms, general);
  let start = 0;
  if (marks.length > 0) start = densestWindow(text, marks, maxChars);
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
