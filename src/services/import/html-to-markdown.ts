import { createRequire } from 'node:module';
import type TurndownService from 'turndown';

/*
 * Dump bodies are HTML. They become Markdown (the forum's source format, so imported posts
 * can be edited like any other) and then go through the normal render + sanitize pipeline;
 * the HTML itself is never stored or shown. Elements that carry code or embed other
 * documents are dropped with their content, so script text does not even appear as prose.
 */
let turndown: TurndownService | null = null;

/**
 * Made with the first conversion (an import, an HTML support mail), not at startup: turndown
 * and its DOM implementation take a tenth of a second of CPU to load, which serving pages
 * never needs. Loaded synchronously (it is CommonJS), so this function stays synchronous.
 */
function converter(): TurndownService {
  if (turndown) return turndown;
  const Turndown = createRequire(import.meta.url)('turndown') as typeof TurndownService;
  const made = new Turndown({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '*',
  });
  // Markdown has no syntax for these; kept as HTML, which the sanitizer allows (footnote marks, keys).
  made.keep(['sup', 'sub', 'kbd']);
  made.remove(['script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'noscript', 'template']);
  return (turndown = made);
}

export function htmlToMarkdown(html: string): string {
  if (html.trim() === '') return '';
  return converter().turndown(html).trim();
}
