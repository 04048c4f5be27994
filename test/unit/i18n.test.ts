import { describe, expect, it } from 'vitest';
import { en, zhCN } from '../../src/i18n/messages/core.js';
import { catalogueKeys, isLocale, localeFromAcceptLanguage, translate, translator } from '../../src/i18n/index.js';

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

describe('core message catalogue', () => {
  it('has every English key in Chinese and every Chinese key in English', () => {
    const enKeys = Object.keys(en).sort();
    const zhKeys = Object.keys(zhCN).sort();
    expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
    expect(enKeys.filter((k) => !(k in zhCN))).toEqual([]);
  });

  it('has no empty message in either language', () => {
    const empty = [...Object.entries(en), ...Object.entries(zhCN)].filter(([, v]) => v.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const zh = zhCN as Record<string, string>;
    const mismatched = Object.entries(en)
      .filter(([key, message]) => placeholders(message).join(',') !== placeholders(zh[key] ?? '').join(','))
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it('has the same keys in the assembled catalogues of both languages (all areas)', () => {
    const enKeys = catalogueKeys('en').sort();
    const zhKeys = catalogueKeys('zh-CN').sort();
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([]);
    expect(enKeys.length).toBeGreaterThanOrEqual(Object.keys(en).length);
  });
});

describe('translate', () => {
  it('returns the message in the requested language', () => {
    expect(translate('en', 'nav.login')).toBe('Log in');
    expect(translate('zh-CN', 'nav.login')).toBe('登录');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'community.members', { count: 3 })).toBe('3 members');
    expect(translate('zh-CN', 'auth.tooManyAttempts', { seconds: 42 })).toContain('42');
    expect(translate('en', 'community.members')).toBe('{count} members');
  });

  it('shows the key itself for a missing message rather than a blank', () => {
    expect(translate('zh-CN', 'no.such.key')).toBe('no.such.key');
  });

  it('translator binds a locale', () => {
    const t = translator('zh-CN');
    expect(t('error.404.title')).toBe('页面不存在');
  });

  it('isLocale accepts only supported locales', () => {
    expect(isLocale('en')).toBe(true);
    expect(isLocale('zh-CN')).toBe(true);
    expect(isLocale('zh')).toBe(false);
    expect(isLocale('fr')).toBe(false);
    expect(isLocale(undefined)).toBe(false);
    expect(isLocale(['en'])).toBe(false);
  });
});

describe('localeFromAcceptLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-TW,zh;q=0.9', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en-GB,en;q=0.9,zh-CN;q=0.8', 'en'],
    // q-values decide, not the order
    ['zh-CN;q=0.4, en;q=0.9', 'en'],
    ['en;q=0.2, zh-CN;q=0.8', 'zh-CN'],
    // unsupported languages are skipped in favour of the next supported one
    ['fr-FR, de;q=0.9, zh;q=0.3', 'zh-CN'],
    ['fr-FR, de;q=0.9', 'en'],
    // q=0 means "not acceptable"
    ['zh-CN;q=0, en;q=0.1', 'en'],
    ['*', 'en'],
    ['  ZH-cn ; q=1 ', 'zh-CN'],
    ['garbage;;;q=abc,,,', 'en'],
  ] as const)('%j -> %s', (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });

  it('uses the given fallback when nothing matches', () => {
    expect(localeFromAcceptLanguage('fr', 'zh-CN')).toBe('zh-CN');
  });
});
