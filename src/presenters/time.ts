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

const relativeFormatters = new Map<string, Intl.RelativeTimeFormat>();
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Largest unit first; a unit is used once at least one whole of it has passed.
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['week', 7 * DAY],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
  ['second', SECOND],
];

/**
 * "3 hours ago" / "3小时前", relative to `now` (the moment the page is rendered: pages are
 * rendered on the server, so no script or client clock is involved). numeric: 'always'
 * because "yesterday" would be wrong for something 30 hours old. A time in the future
 * (clock skew between instances) reads as "now" rather than "in 2 seconds".
 */
export function formatRelative(at: number, locale: Locale, now: number = Date.now()): string {
  let f = relativeFormatters.get(locale);
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'long' });
    relativeFormatters.set(locale, f);
  }
  const elapsed = Math.max(0, now - at);
  // "now" / "现在" (numeric 'auto' words the zero) rather than "0 seconds ago".
  if (elapsed < 45 * SECOND) return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (elapsed >= size) return f.format(-Math.floor(elapsed / size), unit);
  }
  return f.format(0, 'second');
}

/**
 * The one view of a moment that every page uses: the ISO instant for <time datetime>, the
 * absolute date and time (`text`, shown on hover and focus and read by screen readers) and
 * the relative phrase shown on the page. Rendered by views/partials/time.eta.
 */
export interface TimeView {
  iso: string;
  text: string;
  relative: string;
}

export function timeView(at: number, locale: Locale, now: number = Date.now()): TimeView {
  return { iso: new Date(at).toISOString(), text: formatDateTime(at, locale), relative: formatRelative(at, locale, now) };
}

export function dateView(at: number, locale: Locale): { iso: string; text: string } {
  return { iso: new Date(at).toISOString(), text: formatDate(at, locale) };
}
