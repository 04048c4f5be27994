/*
 * The views are compiled with Eta's rmWhitespace (src/plugins/views.ts): every template line
 * loses its leading and trailing spaces and blank lines go. That is invisible in normal text,
 * where any run of whitespace renders as one space, but not inside <pre> and <textarea>,
 * where the whitespace is the content. These tests keep the templates free of literal text
 * that the option would change, and show the option at work on a template that has it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Eta } from 'eta';
import { defaultViewsDir } from '../../src/plugins/views.js';

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? templates(path.join(dir, e.name)) : e.name.endsWith('.eta') ? [path.join(dir, e.name)] : []));
}

/**
 * Places in a template where rmWhitespace would change what a reader sees: a line break in
 * the template's own text inside <pre> or <textarea> (what the template puts there at run
 * time is not touched), and a backquoted JavaScript string spanning lines in a tag.
 */
function whitespaceSensitive(source: string): string[] {
  const problems: string[] = [];
  const text = source.replace(/<%[\s\S]*?%>/g, (tag) => {
    if (/`[^`]*\n[^`]*`/.test(tag)) problems.push(`a multi-line \`string\` in ${tag.slice(0, 40)}`);
    // Keeps line breaks so that a tag spanning lines inside <pre> still counts as one.
    return tag.replace(/[^\n]/g, '');
  });
  for (const m of text.matchAll(/<(pre|textarea)\b[^>]*>([\s\S]*?)<\/\1>/gi)) {
    if (m[2]!.includes('\n')) problems.push(`a line break inside <${m[1]}>: ${m[0].slice(0, 60)}`);
  }
  return problems;
}

describe('templates and rmWhitespace', () => {
  it('no template has literal text whose whitespace shows (inside <pre> or <textarea>)', () => {
    const files = templates(defaultViewsDir);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => whitespaceSensitive(fs.readFileSync(f, 'utf8')).map((p) => `${path.relative(defaultViewsDir, f)}: ${p}`));
    expect(found).toEqual([]);
  });

  it('the check finds a multi-line <pre>, a multi-line <textarea> and a multi-line backquoted string', () => {
    expect(whitespaceSensitive('<pre>\n  indented\n</pre>')).toHaveLength(1);
    expect(whitespaceSensitive('<textarea name="x">\n  <%= it.v %></textarea>')).toHaveLength(1);
    expect(whitespaceSensitive('<% const s = `a\n  b` %>')).toHaveLength(1);
    expect(whitespaceSensitive('<pre class="x"><%= it.code %></pre>\n<p>\n  text\n</p>')).toEqual([]);
  });

  it('removes indentation and blank lines, keeps a break between words and leaves inserted text alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eta-ws-'));
    try {
      fs.writeFileSync(path.join(dir, 'page.eta'), '<ul>\n    <li>one\n      two</li>\n\n\n    <li><pre><%= it.code %></pre></li>\n</ul>\n');
      const eta = new Eta({ views: dir, autoEscape: true, autoTrim: false, rmWhitespace: true });
      const html = eta.render('page', { code: 'if (x) {\n    y();\n}' });
      expect(html).toBe('<ul>\n<li>one\ntwo</li>\n<li><pre>if (x) {\n    y();\n}</pre></li>\n</ul>');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
