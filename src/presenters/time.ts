import type { Locale } from '../domain/types.js';

const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/*
 * Times are shown in UTC: pages are rendered on the server, which does not know the
 * reader's time zone, and the same instant must read the same for every reader.
 */
function formatter(cache: Map<string, Intl.DateTimeFormat>, locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = cache.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    cache.set(locale, f);
  }
  return f;
}

/** Absolute date and time in the reader's language (server-rendered, no client clock needed). */
export function formatDateTime(at: number, locale: Locale): string {
  return formatter(dateTimeFormatters, locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(at);
}

/** A calendar date in the reader's language ("May 1, 2024", "2024年5月1日"). */
export function formatDate(at: number, locale: Locale): string {
  return formatter(dateFormatters, locale, { year: 'numeric', month: 'long', day: 'numeric' }).format(at);
}

export function timeView(at: number, locale: Locale): { iso: string; text: string } {
  return { iso: new Date(at).toISOString(), text: formatDateTime(at, locale) };
}

export function dateView(at: number, locale: Locale): { iso: string; text: string } {
  return { iso: new Date(at).toISOString(), text: formatDate(at, locale) };
}
