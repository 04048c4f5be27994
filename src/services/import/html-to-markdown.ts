import TurndownService from 'turndown';

/*
 * Dump bodies are HTML. They become Markdown (the forum's source format, so imported posts
 * can be edited like any other) and then go through the normal render + sanitize pipeline;
 * the HTML itself is never stored or shown. Elements that carry code or embed other
 * documents are dropped with their content, so script text does not even appear as prose.
 */
const turndown = new TurndownService({
  headingStyle: 'atx',
  codeBlockStyle: 'fenced',
  bulletListMarker: '-',
  emDelimiter: '*',
});
// Markdown has no syntax for these; kept as HTML, which the sanitizer allows (footnote marks, keys).
turndown.keep(['sup', 'sub', 'kbd']);
turndown.remove(['script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'noscript', 'template']);

export function htmlToMarkdown(html: string): string {
  if (html.trim() === '') return '';
  return turndown.turndown(html).trim();
}
