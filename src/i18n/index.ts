import type { Locale } from '../domain/types.js';
import { LOCALES } from '../domain/types.js';
import * as core from './messages/core.js';
import * as search from './messages/search.js';
import * as qa from './messages/qa.js';
import * as faq from './messages/faq.js';
import * as faqMod from './messages/faq-mod.js';
import * as synonyms from './messages/synonyms.js';
import * as imports from './messages/import.js';
import * as moderation from './messages/moderation.js';
import * as mail from './messages/mail.js';
import * as accountMail from './messages/account-mail.js';
import * as support from './messages/support.js';
import * as notifications from './messages/notifications.js';
import * as inbound from './messages/inbound.js';
import * as digest from './messages/digest.js';
import { escapeHtmlText } from '../http/html-escape.js';

/*
 * The message catalogue is split by area (one file each in ./messages, every file holding
 * both languages) so that features add their strings without touching each other's files.
 */
const areas: Array<{ en: Record<string, string>; zhCN: Record<string, string> }> = [core, search, qa, faq, faqMod, synonyms, imports, moderation, mail, accountMail, support, notifications, inbound, digest];

const catalogues: Record<Locale, Record<string, string>> = {
  en: Object.assign({}, ...areas.map((a) => a.en)),
  'zh-CN': Object.assign({}, ...areas.map((a) => a.zhCN)),
};

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/*
 * A message with a {count} picks its plural form with Intl.PluralRules: "<key>.<category>"
 * ("qa.views.one" for "1 view" in English) when the catalogue has it, else the plain key
 * (the "other" form). Chinese has only the "other" category, so it never needs variants.
 */
const pluralRules = new Map<Locale, Intl.PluralRules>();
export function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count);
}

/** A count may arrive as a number or as digits (with group separators) already formatted. */
function countOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^[\d,.\s]+$/.test(value)) {
    const n = Number(value.replace(/[,\s]/g, ''));
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function lookup(locale: Locale, key: string, count: unknown): string | undefined {
  const n = countOf(count);
  if (n !== null) {
    const plural = catalogues[locale][`${key}.${pluralCategory(locale, n)}`];
    if (plural !== undefined) return plural;
  }
  return catalogues[locale][key];
}

/**
 * A message cut at its {name} placeholders: literal text at even indices, names at odd ones.
 * Pages translate dozens of messages per request (the search page some 60), and matching
 * the placeholder pattern each time was most of translate()'s cost. Messages come from the
 * catalogue (or are a missing key shown as itself), so the set is small; the bound only
 * guards against a caller passing arbitrary keys.
 */
const parsedMessages = new Map<string, readonly string[]>();
function partsOf(template: string): readonly string[] {
  let parts = parsedMessages.get(template);
  if (parts !== undefined) return parts;
  const cut: string[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    cut.push(template.slice(last, m.index), m[1]!);
    last = m.index + m[0].length;
  }
  cut.push(template.slice(last));
  parts = cut;
  if (parsedMessages.size >= 10_000) parsedMessages.clear();
  parsedMessages.set(template, parts);
  return parts;
}

function fill(template: string, params: Record<string, string | number>, encode: ((s: string) => string) | null, html: Record<string, string> | null): string {
  const parts = partsOf(template);
  if (parts.length === 1) return encode ? encode(template) : template;
  let out = encode ? encode(parts[0]!) : parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    // Markup params go in as they are; everything else is encoded like the message's text.
    if (html !== null && name in html) out += html[name]!;
    else {
      const value = name in params ? String(params[name]) : `{${name}}`;
      out += encode ? encode(value) : value;
    }
    out += encode ? encode(parts[i + 1]!) : parts[i + 1]!;
  }
  return out;
}

function message(locale: Locale, key: string, params: Record<string, string | number>): string {
  return lookup(locale, key, params.count) ?? lookup('en', key, params.count) ?? key;
}

/** Fills {name} placeholders; a missing key shows itself so gaps are visible, never blank. */
export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  return fill(message(locale, key, params), params, null, null);
}

/** The one HTML escape (http/html-escape.ts), for messages with markup params. */
export const escapeHtml: (text: string) => string = escapeHtmlText;

/**
 * Like translate, but returns HTML: the message and the plain params are escaped, and the
 * `html` params (markup the templates built themselves, such as a <time> element) go in as
 * they are. This lets a sentence carry an element without splitting it into fragments that
 * each language would have to order the same way.
 */
export function translateHtml(locale: Locale, key: string, params: Record<string, string | number> = {}, html: Record<string, string> = {}): string {
  return fill(message(locale, key, params), params, escapeHtml, html);
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
