import { BODY_MAX, BODY_MIN, TITLE_MAX, TITLE_MIN, displayWidth } from '../../domain/qa-rules.js';
import type { Locale } from '../../domain/types.js';
import { htmlToMarkdown } from '../import/html-to-markdown.js';
import type { InboundMessage } from './parse-message.js';
import { stripQuotedReply } from './strip-quotes.js';

const REPLY_PREFIX = /^\s*((re|fwd?|aw|wg|回复|答复|转发)\s*[:：]\s*)+/i;
const HAN = /\p{sc=Han}/u;

/**
 * What the author wrote, as Markdown, without quoted history or signature. A new question keeps
 * the HTML part's formatting (converted to Markdown; the post pipeline then renders and
 * sanitizes it like any post); a reply reads the plain text, where quotes are easiest to find.
 * (mailparser derives a text from HTML-only mail, so `text` is there either way.)
 */
export function messageBody(msg: InboundMessage, preferHtml: boolean): string {
  const source = preferHtml && msg.html.trim() !== '' ? htmlToMarkdown(msg.html) : msg.text.trim() !== '' ? msg.text : htmlToMarkdown(msg.html);
  return stripQuotedReply(source);
}

/** The question title: the subject without Re:/Fwd: prefixes, or the body's first line when the subject is too short. */
export function messageTitle(msg: InboundMessage, body: string): string {
  const subject = msg.subject.replace(REPLY_PREFIX, '').replace(/\s+/g, ' ').trim();
  const candidate = displayWidth(subject) >= TITLE_MIN ? subject : (body.split('\n').find((l) => l.trim() !== '') ?? '').replace(/^[#>*\s-]+/, '').trim();
  if (Array.from(candidate).length <= TITLE_MAX) return candidate;
  return `${Array.from(candidate).slice(0, TITLE_MAX - 1).join('').trimEnd()}…`;
}

/** Why a body cannot be a post, or null. */
export function bodyProblem(body: string): string | null {
  if (body.trim().length < BODY_MIN) return `the message needs at least ${BODY_MIN} characters of text`;
  if (body.length > BODY_MAX) return `the message text is longer than ${BODY_MAX} characters`;
  return null;
}

/** The language of mail to someone the forum does not know yet: Chinese if they wrote Chinese. */
export function guessLocale(msg: InboundMessage, fallback: Locale): Locale {
  return HAN.test(msg.subject) || HAN.test(msg.text.slice(0, 2000)) ? 'zh-CN' : fallback;
}
