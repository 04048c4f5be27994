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
  const ranges: Range[] = spans.filter((s) => isMatch(terms, s)).map((s) => ({ start: s.start, end: s.end }));
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

/** The whole (short) text with its matches marked, e.g. a title. */
export function highlightAll(text: string, terms: HighlightTerms): string {
  return render(text, 0, text.length, matchRanges(text, wordSpans(text), terms));
}

/**
 * About maxChars of the text around the densest cluster of matches, matches marked, with
 * an ellipsis where the text was cut. Without a match it is the start of the text.
 */
export function snippet(full: string, terms: HighlightTerms, maxChars = 200): string {
  const text = full.length > SCAN_LIMIT ? full.slice(0, SCAN_LIMIT) : full;
  const spans = wordSpans(text);
  const marks = matchRanges(text, spans, terms);
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
  if (start > 0) {
    const first = spans.find((s) => s.start >= start);
    start = first ? first.start : start;
  }
  let end = Math.min(text.length, start + maxChars);
  if (end < text.length) {
    let lastEnd = start;
    for (const s of spans) {
      if (s.start >= end) break;
      if (s.end <= end) lastEnd = s.end;
    }
    if (lastEnd > start) end = lastEnd;
    // A mark cut by the window is left out rather than shown in half.
  }
  const body = render(text, start, end, marks).trim();
  return (start > 0 ? '…' : '') + body + (end < full.length ? '…' : '');
}
