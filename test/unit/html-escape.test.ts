import { describe, expect, it } from 'vitest';
import { escapeHtmlText } from '../../src/http/html-escape.js';

/** Eta's own escaping (what the templates used before): every value must come out the same. */
const reference = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

describe('escapeHtmlText', () => {
  it('escapes the five special characters wherever they are, and nothing else', () => {
    expect(escapeHtmlText('/search?q=a+b&tag=c&sort=newest')).toBe('/search?q=a+b&amp;tag=c&amp;sort=newest');
    expect(escapeHtmlText(`<script>alert("x") & 'y'</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
    expect(escapeHtmlText('&')).toBe('&amp;');
    expect(escapeHtmlText('家庭咖啡烘焙 › 入门')).toBe('家庭咖啡烘焙 › 入门');
    expect(escapeHtmlText(42)).toBe('42');
    expect(escapeHtmlText(null)).toBe('null');
  });

  it('gives what the reference gives for random text', () => {
    const alphabet = ['a', 'Z', ' ', '&', '<', '>', '"', "'", '家', '😀', '\n', ';', '#'];
    let seed = 3;
    for (let round = 0; round < 2000; round++) {
      let s = '';
      const length = (seed = (seed * 1103515245 + 12345) % 2147483648) % 12;
      for (let i = 0; i < length; i++) s += alphabet[(seed = (seed * 1103515245 + 12345) % 2147483648) % alphabet.length];
      expect(escapeHtmlText(s)).toBe(reference(s));
    }
  });
});
