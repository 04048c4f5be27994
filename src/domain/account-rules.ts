import type { FieldErrors } from './errors.js';
import { usernameSkeleton } from './username-skeleton.js';

export const USERNAME_MIN = 2;
export const USERNAME_MAX = 30;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;
export const EMAIL_MAX = 254;

// Letters of any script (so Chinese names work), digits, underscore and hyphen: safe in a URL path.
const USERNAME_PATTERN = /^[\p{L}\p{N}_-]+$/u;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const RESERVED_USERNAMES = ['admin', 'administrator', 'root', 'system', 'moderator', 'staff', 'anonymous', 'null', 'undefined'];
/** Reserved names are compared by skeleton, so "аdmin" (Cyrillic а) or "ＡＤＭＩＮ" is reserved too. */
const RESERVED_SKELETONS = new Set(RESERVED_USERNAMES.map(usernameSkeleton));

export function normaliseUsername(raw: string): string {
  return raw.normalize('NFC').trim();
}

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function checkUsername(username: string, errors: FieldErrors, allowReserved = false): void {
  const length = Array.from(username).length;
  if (length === 0) errors.username = { key: 'validation.required' };
  else if (length < USERNAME_MIN || length > USERNAME_MAX) errors.username = { key: 'validation.usernameLength', params: { min: USERNAME_MIN, max: USERNAME_MAX } };
  else if (!USERNAME_PATTERN.test(username)) errors.username = { key: 'validation.usernameChars' };
  else if (!allowReserved && RESERVED_SKELETONS.has(usernameSkeleton(username))) errors.username = { key: 'validation.usernameReserved' };
}

export function checkEmail(email: string, errors: FieldErrors): void {
  if (email.length === 0) errors.email = { key: 'validation.required' };
  else if (email.length > EMAIL_MAX || !EMAIL_PATTERN.test(email)) errors.email = { key: 'validation.email' };
}

export function checkPassword(password: string, errors: FieldErrors, field = 'password'): void {
  if (password.length === 0) errors[field] = { key: 'validation.required' };
  else if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) errors[field] = { key: 'validation.passwordLength', params: { min: PASSWORD_MIN, max: PASSWORD_MAX } };
}
