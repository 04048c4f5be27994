import type { Locale } from '../domain/types.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Absolute date and time in the reader's language (server-rendered, no client clock needed). */
export function formatDateTime(at: number, locale: Locale): string {
  let f = formatters.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
    formatters.set(locale, f);
  }
  return f.format(at);
}

export function timeView(at: number, locale: Locale): { iso: string; text: string } {
  return { iso: new Date(at).toISOString(), text: formatDateTime(at, locale) };
}
