import { MAX_QUERY_WORDS } from '../port.js';
import { fold, isCjkToken, wordSpans } from '../text.js';

/*
 * What of a query reaches Meilisearch: its words only, at most MAX_QUERY_WORDS of them.
 * Keeping only letters and digits makes Meilisearch's own query syntax (a "phrase", a
 * -negated word) plain text, as it is in the embedded engine, so a stray quote or minus
 * never silently changes what is found.
 *
 * A run of Chinese (or other unspaced) words is kept as one term, exactly as typed:
 * Meilisearch segments it itself, possibly differently from Intl.Segmenter, and splitting it
 * here could separate characters Meilisearch would have read as one word.
 */

/** Long enough for any real question; bounds the work for pasted text. */
const MAX_QUERY_CHARS = 500;

/** The query's terms in order, duplicates (after case and accent folding) left out. */
export function queryTerms(raw: string): string[] {
  const text = raw.slice(0, MAX_QUERY_CHARS);
  const seen = new Set<string>();
  const terms: string[] = [];
  let run: { start: number; end: number } | null = null;
  const flush = () => {
    if (run) terms.push(text.slice(run.start, run.end));
    run = null;
  };
  let words = 0;
  for (const span of wordSpans(text)) {
    const key = span.tokens.join(' ');
    if (seen.has(key)) continue;
    if (words === MAX_QUERY_WORDS) break;
    seen.add(key);
    words++;
    const cjk = isCjkToken(text.slice(span.start, span.end));
    if (cjk && run && run.end === span.start) {
      run.end = span.end;
      continue;
    }
    flush();
    if (cjk) run = { start: span.start, end: span.end };
    else terms.push(text.slice(span.start, span.end));
  }
  flush();
  return terms;
}

/** How a term is reported in ignoredWords (as the embedded engine reports its tokens). */
export function reportedTerm(term: string): string {
  return fold(term);
}
