import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { escapeHtmlText } from '../http/html-escape.js';

/*
 * Markdown is rendered once, when a post is saved; the sanitised HTML is stored beside
 * the source and pages print it as is. Everything a user writes passes sanitize-html
 * with a closed allowlist, so no tag, attribute or URL scheme outside it survives.
 *
 * Images are shown as links (docs/decisions.md, "Third-party images"): every image in a post
 * is on another host (the site has no uploads), and an <img> from another host is a request
 * from every reader's browser to it, a tracking pixel. The CSP allows images from the site
 * itself only.
 */

const marked = new Marked({ gfm: true, breaks: false, async: false });

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code',
    'ul', 'ol', 'li', 'strong', 'em', 'del', 's', 'a', 'img',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub', 'kbd',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title'],
    code: ['class'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
  allowedClasses: { code: [/^language-[\w+#-]+$/], a: ['external-image'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow ugc noopener' } }),
    img: (_tagName, attribs) => imageAsLink(attribs),
  },
};
// The class marks links that stand for an image (styled with an image icon).
(sanitizeOptions.allowedAttributes as Record<string, string[]>).a!.push('class');

/** An image becomes a link to it, labelled with its alt text (or its address when it has none). */
function imageAsLink(attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const src = attribs.src ?? '';
  const label = (attribs.alt ?? '').trim() || src;
  const link: sanitizeHtml.Attributes = { href: src, rel: 'nofollow ugc noopener', class: 'external-image' };
  if (attribs.title) link.title = attribs.title;
  return { tagName: 'a', attribs: link, text: label };
}

/**
 * Applies the current allowlist to HTML stored by an earlier version (migration 011): images
 * stored as <img> become links. Sanitised HTML passes through otherwise unchanged.
 */
export function resanitizeStoredHtml(html: string): string {
  return sanitizeHtml(html, sanitizeOptions).trim();
}

export interface RenderedMarkdown {
  html: string;
  /** Plain text of the rendered post, for search and excerpts. */
  text: string;
}

export function renderMarkdown(source: string): RenderedMarkdown {
  const rawHtml = marked.parse(source) as string;
  const html = sanitizeHtml(rawHtml, sanitizeOptions).trim();
  return { html, text: htmlToText(html) };
}

/*
 * URLs are found in the raw text, before escaping, so an entity such as &quot; can never
 * become part of a link. A URL is ASCII only: Chinese text and full-width punctuation
 * written right after it (common in Chinese, where no space follows) end it.
 */
const PLAIN_URL = /\bhttps?:\/\/[!#-&(-;=?-~]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}*_~]+$/;

/** Plain text with links shown as their URL; used for comments, which are not Markdown. */
export function renderPlainWithLinks(source: string): string {
  let html = '';
  let last = 0;
  for (const match of source.matchAll(PLAIN_URL)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    if (!/^https?:\/\/[^/?#]/.test(url)) continue;
    const start = match.index;
    html += escapeHtml(source.slice(last, start));
    const safeUrl = escapeHtml(url);
    html += `<a href="${safeUrl}" rel="nofollow ugc noopener">${safeUrl}</a>`;
    last = start + url.length;
  }
  html += escapeHtml(source.slice(last));
  return sanitizeHtml(html, { allowedTags: ['a'], allowedAttributes: { a: ['href', 'rel'] }, allowedSchemes: ['http', 'https'] });
}

export function htmlToText(html: string): string {
  const text = sanitizeHtml(html.replace(/<\/(p|h[1-6]|li|pre|blockquote|tr|td|th)>/g, '$& ').replace(/<br\s*\/?>/g, ' '), {
    allowedTags: [],
    allowedAttributes: {},
  });
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

/**
 * Text of HTML this pipeline produced (sanitised, so tags never nest in attributes), cheaply
 * enough for every request: for meta descriptions, which the template escapes again.
 */
export function textOfSafeHtml(html: string): string {
  const spaced = html.replace(/<\/(p|h[1-6]|li|pre|blockquote|tr|td|th)>|<br\s*\/?>/g, ' ');
  return decodeEntities(spaced.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

/** The one HTML escape (http/html-escape.ts), under the name this module's callers use. */
export const escapeHtml: (s: string) => string = escapeHtmlText;

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

export function excerpt(text: string, max = 200): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('').trimEnd()}…`;
}
