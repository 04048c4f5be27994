import { ValidationError } from './errors.js';
import { codePointLength, tokenize } from '../search/text.js';

/*
 * What a synonym group may hold. Terms are folded exactly as the search engines fold query
 * words ("Wi-Fi" -> "wi fi", "Café" -> "cafe"), so that a stored term is literally what a
 * query word is compared with; spellings that fold to the same term are one term.
 */

export const SYNONYM_MIN_TERMS = 2;
export const SYNONYM_MAX_TERMS = 10;
/** Per term, as typed: a word or a short phrase, not a sentence. */
export const SYNONYM_MAX_TERM_CHARS = 40;
/** Commas (ASCII and Chinese), the Chinese enumeration comma, semicolons and new lines. */
const SEPARATORS = /[,，、;；\r\n]+/;

/** A term as search sees it: folded tokens joined by one space ('' when it has no letters or digits). */
export function normaliseSynonymTerm(raw: string): string {
  return tokenize(raw).join(' ');
}

/** The form's text back as the list of terms it holds (for showing a group as typed). */
export function splitSynonymInput(raw: string): string[] {
  return raw
    .split(SEPARATORS)
    .map((t) => t.trim().replace(/\s+/g, ' '))
    .filter((t) => t !== '');
}

function preview(term: string): string {
  const chars = Array.from(term);
  return chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : term;
}

/**
 * The distinct folded terms of the form's "terms" field, in the order typed, or a
 * ValidationError naming the first problem (messages under synonyms.terms.*).
 */
export function checkSynonymTerms(raw: string): string[] {
  const typed = splitSynonymInput(raw);
  const fail = (key: string, params: Record<string, string | number> = {}): never => {
    throw new ValidationError({ terms: { key, params } });
  };
  if (typed.length === 0) fail('synonyms.terms.required');
  // Checked before folding so that a pasted paragraph is refused without analysing it.
  if (typed.length > SYNONYM_MAX_TERMS) fail('synonyms.terms.tooMany', { max: SYNONYM_MAX_TERMS });
  const terms: string[] = [];
  for (const t of typed) {
    if (codePointLength(t) > SYNONYM_MAX_TERM_CHARS) fail('synonyms.terms.tooLong', { max: SYNONYM_MAX_TERM_CHARS, term: preview(t) });
    const term = normaliseSynonymTerm(t);
    if (term === '') fail('synonyms.terms.noWords', { term: t });
    if (!terms.includes(term)) terms.push(term);
  }
  if (terms.length < SYNONYM_MIN_TERMS) fail('synonyms.terms.tooFew', { min: SYNONYM_MIN_TERMS });
  return terms;
}
