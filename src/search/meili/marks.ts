import { escapeHtml, isCjkToken } from '../text.js';
import { HIGHLIGHT_POST, HIGHLIGHT_PRE } from './query.js';

/*
 * Meilisearch's _formatted text (markers around matches, nothing escaped) as the port's HTML:
 * everything escaped, <mark>…</mark> only around matches, whitespace runs shown as one space
 * (as the embedded engine shows them), Chinese left exactly as written.
 */

interface Range {
  start: number;
  end: number;
}

const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;

/**
 * Letters of a spaced script: Meilisearch marks only the typed part of a prefix match
 * ("<rete>ntion"), the port marks whole words. Chinese characters never extend a mark, since
 * there the neighbouring characters belong to other words.
 */
function joinsWord(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch) && !isCjkToken(ch);
}

/** The text without markers, and the marked ranges in code points. */
function parse(formatted: string): { chars: string[]; ranges: Range[] } {
  const chars: string[] = [];
  const ranges: Range[] = [];
  let open: number | null = null;
  for (const ch of formatted) {
    if (ch === HIGHLIGHT_PRE) {
      if (open === null) open = chars.length;
    } else if (ch === HIGHLIGHT_POST) {
      if (open !== null && chars.length > open) ranges.push({ start: open, end: chars.length });
      open = null;
    } else chars.push(ch);
  }
  // A mark left open (should the text be cut inside one) runs to the end.
  if (open !== null && chars.length > open) ranges.push({ start: open, end: chars.length });
  return { chars, ranges };
}

function widen(chars: string[], ranges: Range[]): Range[] {
  const merged: Range[] = [];
  for (const r of ranges) {
    let { start, end } = r;
    while (start > 0 && joinsWord(chars[start - 1]) && joinsWord(chars[start])) start--;
    while (end < chars.length && joinsWord(chars[end]) && joinsWord(chars[end - 1])) end++;
    const last = merged[merged.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

function squash(chars: string[], from: number, to: number): string {
  return escapeHtml(chars.slice(from, to).join('').replace(/\s+/g, ' '));
}

export function formattedToHtml(formatted: string): string {
  const { chars, ranges } = parse(formatted);
  let html = '';
  let at = 0;
  for (const r of widen(chars, ranges)) {
    html += squash(chars, at, r.start) + `<mark>${squash(chars, r.start, r.end)}</mark>`;
    at = r.end;
  }
  return (html + squash(chars, at, chars.length)).trim();
}
