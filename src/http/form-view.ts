import type { FieldErrors } from '../domain/errors.js';
import { ValidationError } from '../domain/errors.js';
import type { Translate } from '../i18n/index.js';

/** Turns field errors into messages in the reader's language for the form template. */
export function fieldMessages(t: Translate, errors: FieldErrors): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, { key, params }] of Object.entries(errors)) out[field] = t(key, params);
  return out;
}

/**
 * Runs a form action; a ValidationError becomes the form's messages instead of an error
 * page, everything else propagates to the error handler.
 */
export async function tryForm<T>(t: Translate, action: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; errors: Record<string, string> }> {
  try {
    return { ok: true, value: await action() };
  } catch (err) {
    if (err instanceof ValidationError) return { ok: false, errors: fieldMessages(t, err.fields) };
    throw err;
  }
}
