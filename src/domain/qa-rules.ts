import { ValidationError, type FieldErrors } from './errors.js';
import type { VoteValue } from './qa-types.js';

export const TITLE_MIN = 10;
export const TITLE_MAX = 150;
export const BODY_MIN = 10;
export const BODY_MAX = 30_000;
export const TAGS_MIN = 1;
export const TAGS_MAX = 5;
export const TAG_MAX_LENGTH = 35;
export const COMMENT_MIN = 2;
export const COMMENT_MAX = 600;
export const REASON_MAX = 300;

const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}+#._-]*$/u;

const length = (s: string) => Array.from(s).length;

/**
 * Whitespace separates tags, as on Stack Overflow, so "home roasting" becomes two tags and
 * no hyphens are inserted; commas, 、 and semicolons (ASCII or full-width) separate them too,
 * because Chinese keyboards type those. Each piece is NFKC-normalised (full-width letters
 * become ASCII) and lower-cased; Chinese allowed. Empty pieces dropped, duplicates removed.
 */
export function normaliseTags(raw: string): string[] {
  const pieces = raw
    .split(/[,，、;；\s]+/u)
    .map((t) => t.normalize('NFKC').trim().toLowerCase())
    .filter((t) => t.length > 0);
  return [...new Set(pieces)];
}

export function checkTags(tags: string[], errors: FieldErrors): void {
  if (tags.length < TAGS_MIN) errors.tags = { key: 'qa.validation.tagsRequired' };
  else if (tags.length > TAGS_MAX) errors.tags = { key: 'qa.validation.tagsTooMany', params: { max: TAGS_MAX } };
  else {
    const bad = tags.find((t) => length(t) > TAG_MAX_LENGTH || !TAG_PATTERN.test(t));
    if (bad) errors.tags = { key: 'qa.validation.tagInvalid', params: { tag: bad, max: TAG_MAX_LENGTH } };
  }
}

const WIDE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/**
 * A title's display width: a Chinese, Japanese or Korean character (or a full-width form)
 * counts two, as it takes two columns and says about as much as a short English word.
 * "镜头起雾怎么办" (7 characters) is a complete question; "Help me" is not.
 */
export function displayWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += WIDE.test(ch) ? 2 : 1;
  return n;
}

export function checkTitle(title: string, errors: FieldErrors): void {
  const n = length(title);
  if (n === 0) errors.title = { key: 'validation.required' };
  else if (displayWidth(title) < TITLE_MIN || n > TITLE_MAX) {
    // A title with wide characters is told how the count works for them.
    errors.title = displayWidth(title) > n
      ? { key: 'qa.validation.titleLength', params: { min: TITLE_MIN, wideMin: Math.ceil(TITLE_MIN / 2), max: TITLE_MAX } }
      : { key: 'validation.lengthRange', params: { min: TITLE_MIN, max: TITLE_MAX } };
  }
}

export function checkBody(body: string, errors: FieldErrors, field = 'body'): void {
  const n = length(body.trim());
  if (n === 0) errors[field] = { key: 'validation.required' };
  else if (n < BODY_MIN || n > BODY_MAX) errors[field] = { key: 'validation.lengthRange', params: { min: BODY_MIN, max: BODY_MAX } };
}

export function checkComment(body: string): string {
  const text = body.trim();
  const n = length(text);
  if (n === 0) throw new ValidationError({ comment: { key: 'validation.required' } });
  if (n < COMMENT_MIN || n > COMMENT_MAX) throw new ValidationError({ comment: { key: 'validation.lengthRange', params: { min: COMMENT_MIN, max: COMMENT_MAX } } });
  return text;
}

export function checkReason(reason: string, errors: FieldErrors): void {
  if (length(reason) > REASON_MAX) errors.reason = { key: 'validation.maxLength', params: { max: REASON_MAX } };
}

/** Form values '1', '-1', '0' only; anything else is not a vote. */
export function parseVoteValue(raw: string): VoteValue | null {
  if (raw === '1' || raw === '+1') return 1;
  if (raw === '-1') return -1;
  if (raw === '0') return 0;
  return null;
}
