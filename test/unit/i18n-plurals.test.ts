/*
 * Counts go through Intl.PluralRules in both languages: every catalogue message that takes
 * a {count} reads right for 0, 1 and 2 (no "1 answers"), and the HTML variant of translate
 * escapes everything but the markup a template hands it.
 */
import { describe, expect, it } from 'vitest';
import { catalogueKeys, pluralCategory, translate, translateHtml } from '../../src/i18n/index.js';
import type { Locale } from '../../src/domain/types.js';

const CATEGORIES = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);
const LOCALES: Locale[] = ['en', 'zh-CN'];

/** Catalogue keys whose message counts something with {count} (not the plural variants themselves). */
function countedKeys(locale: Locale): string[] {
  return catalogueKeys(locale).filter((key) => !CATEGORIES.has(key.split('.').pop()!) && translate(locale, key).includes('{count}'));
}

describe('plural rules', () => {
  it('uses the CLDR categories of each language', () => {
    expect([0, 1, 2].map((n) => pluralCategory('en', n))).toEqual(['other', 'one', 'other']);
    expect([0, 1, 2].map((n) => pluralCategory('zh-CN', n))).toEqual(['other', 'other', 'other']);
  });

  it('finds counted messages to check (the catalogue has them in both languages)', () => {
    expect(countedKeys('en').length).toBeGreaterThan(15);
    expect(countedKeys('zh-CN').sort()).toEqual(countedKeys('en').sort());
  });

  it.each(LOCALES)('never says "1 answers" in %s: every counted message has its singular form', (locale) => {
    const wrong: string[] = [];
    for (const key of countedKeys(locale)) {
      for (const count of [0, 1, 2]) {
        const text = translate(locale, key, { count });
        expect(text).toContain(String(count));
        // An English count of one followed by a plural noun ("1 answers", "1 votes").
        if (/(^|[^\d.,])1 [A-Za-z]+s\b/.test(text)) wrong.push(`${key}: ${text}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('picks the singular only for one, in English', () => {
    expect(translate('en', 'qa.answerCount', { count: 1 })).toBe('1 answer');
    expect(translate('en', 'qa.answerCount', { count: 0 })).toBe('0 answers');
    expect(translate('en', 'qa.answerCount', { count: 2 })).toBe('2 answers');
    expect(translate('en', 'qa.votesLabel', { count: 1 })).toBe('vote');
    expect(translate('en', 'qa.votesLabel', { count: -3 })).toBe('votes');
    expect(translate('zh-CN', 'qa.answerCount', { count: 1 })).toBe('1 个回答');
  });

  it('reads a count that arrives already formatted ("1,000")', () => {
    expect(translate('en', 'qa.views', { count: '1,000' })).toBe('1,000 views');
    expect(translate('en', 'qa.views', { count: '1' })).toBe('1 view');
  });

  it('words a rate-limit wait of one second in the singular', () => {
    expect(translate('en', 'auth.tooManyAttempts', { seconds: 1, count: 1 })).toContain('1 second and');
    expect(translate('en', 'auth.tooManyAttempts', { seconds: 5, count: 5 })).toContain('5 seconds');
  });
});

describe('translateHtml', () => {
  it('escapes the message and plain params but keeps the markup params', () => {
    const html = translateHtml('en', 'qa.askedAt', {}, { when: '<time datetime="x">now</time>' });
    expect(html).toBe('Asked <time datetime="x">now</time>');
    expect(translateHtml('en', 'qa.taggedHeading', { tag: '<b>x</b>' }, {})).not.toContain('<b>');
    expect(translateHtml('en', 'qa.taggedHeading', { tag: '<b>x</b>' }, {})).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
