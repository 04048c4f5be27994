import type { Locale } from '../domain/types.js';
import { LOCALES } from '../domain/types.js';
import * as core from './messages/core.js';
import * as search from './messages/search.js';
import * as qa from './messages/qa.js';
import * as faq from './messages/faq.js';
import * as faqMod from './messages/faq-mod.js';
import * as synonyms from './messages/synonyms.js';
import * as mail from './messages/mail.js';
import * as accountMail from './messages/account-mail.js';
import * as notifications from './messages/notifications.js';

/*
 * The message catalogue is split by area (one file each in ./messages, every file holding
 * both languages) so that features add their strings without touching each other's files.
 */
const areas: Array<{ en: Record<string, string>; zhCN: Record<string, string> }> = [core, search, qa, faq, faqMod, synonyms, mail, accountMail, notifications];

const catalogues: Record<Locale, Record<string, string>> = {
  en: Object.assign({}, ...areas.map((a) => a.en)),
  'zh-CN': Object.assign({}, ...areas.map((a) => a.zhCN)),
};

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/*
 * A message with a {count} may have a singular form under "<key>.one" ("1 answer", not
 * "1 answers"); Chinese has no plural, so its ".one" forms read like the plain ones.
 */
function lookup(locale: Locale, key: string, count: unknown): string | undefined {
  if (count === 1) {
    const singular = catalogues[locale][`${key}.one`];
    if (singular !== undefined) return singular;
  }
  return catalogues[locale][key];
}

/** Fills {name} placeholders; a missing key shows itself so gaps are visible, never blank. */
export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = lookup(locale, key, params.count) ?? lookup('en', key, params.count) ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks the best supported locale from an Accept-Language header (q-values respected). */
export function localeFromAcceptLanguage(header: string | undefined, fallback: Locale = 'en'): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}

export function catalogueKeys(locale: Locale): string[] {
  return Object.keys(catalogues[locale]);
}
