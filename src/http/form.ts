import { DomainError } from '../domain/errors.js';

export class BadInputError extends DomainError {
  constructor() {
    super(400, 'error.badInput');
  }
}

/**
 * Reads named fields from a parsed form or JSON body as plain strings. Anything else where
 * a string belongs (an object, an array from a repeated field, a number from JSON) is
 * refused outright, so no query-operator object can ever reach a service.
 */
export function formFields<K extends string>(body: unknown, names: readonly K[]): Record<K, string> {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) throw new BadInputError();
  const source = (body ?? {}) as Record<string, unknown>;
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = Object.prototype.hasOwnProperty.call(source, name) ? source[name] : undefined;
    if (value === undefined || value === null) out[name] = '';
    else if (typeof value === 'string') out[name] = value;
    else throw new BadInputError();
  }
  return out;
}

/** A single optional query-string value, ignoring repeated or nested forms. */
export function queryString(query: unknown, name: string): string | undefined {
  if (!query || typeof query !== 'object') return undefined;
  const value = (query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Page numbers: anything that is not a positive integer in range falls back to page 1. */
export function pageNumber(raw: string | undefined, max = 10000): number {
  if (!raw || !/^\d{1,6}$/.test(raw)) return 1;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : 1;
}

/** Redirect targets from input are checked in one place (re-exported for existing imports). */
export { safeRedirectPath } from './safe-redirect.js';

export function wantsJson(accept: string | undefined): boolean {
  return Boolean(accept && accept.includes('application/json') && !accept.includes('text/html'));
}
