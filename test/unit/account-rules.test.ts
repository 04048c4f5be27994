import { describe, expect, it } from 'vitest';
import type { FieldErrors } from '../../src/domain/errors.js';
import {
  checkEmail,
  checkPassword,
  checkUsername,
  normaliseEmail,
  normaliseUsername,
  PASSWORD_MAX,
  PASSWORD_MIN,
  USERNAME_MAX,
} from '../../src/domain/account-rules.js';

function usernameError(name: string, allowReserved = false): string | undefined {
  const errors: FieldErrors = {};
  checkUsername(name, errors, allowReserved);
  return errors.username?.key;
}

function emailError(email: string): string | undefined {
  const errors: FieldErrors = {};
  checkEmail(email, errors);
  return errors.email?.key;
}

describe('usernames', () => {
  it.each(['alice', 'Bob_42', 'a-b', '张伟', 'ab', 'x'.repeat(USERNAME_MAX), '名'.repeat(USERNAME_MAX), 'Ünïcødé'])('accepts %s', (name) => {
    expect(usernameError(name)).toBeUndefined();
  });

  it('requires a name', () => {
    expect(usernameError('')).toBe('validation.required');
  });

  it('counts characters, not UTF-16 units, for the length limits', () => {
    expect(usernameError('a')).toBe('validation.usernameLength');
    expect(usernameError('李')).toBe('validation.usernameLength');
    expect(usernameError('x'.repeat(USERNAME_MAX + 1))).toBe('validation.usernameLength');
    expect(usernameError('名'.repeat(USERNAME_MAX + 1))).toBe('validation.usernameLength');
    // 30 astral-plane letters are 60 UTF-16 units but still 30 characters
    expect(usernameError('𠀀'.repeat(USERNAME_MAX))).toBeUndefined();
  });

  it.each(['has space', 'semi;colon', '<script>', 'a/b', 'dot.name', 'at@sign', 'quote"s', '😀😀'])('refuses characters unsafe in a URL or markup: %s', (name) => {
    expect(usernameError(name)).toBe('validation.usernameChars');
  });

  it('refuses reserved names in any letter case unless allowed', () => {
    expect(usernameError('admin')).toBe('validation.usernameReserved');
    expect(usernameError('Admin')).toBe('validation.usernameReserved');
    expect(usernameError('ROOT')).toBe('validation.usernameReserved');
    expect(usernameError('admin', true)).toBeUndefined();
  });

  it('normalises to NFC and trims', () => {
    expect(normaliseUsername('  e\u0301mile ')).toBe('\u00e9mile');
  });
});

describe('emails', () => {
  it('accepts ordinary addresses', () => {
    expect(emailError('alice@example.com')).toBeUndefined();
    expect(emailError('a.b+tag@sub.example.co')).toBeUndefined();
  });

  it('requires an address', () => {
    expect(emailError('')).toBe('validation.required');
  });

  it.each(['alice', 'alice@', '@example.com', 'a@b', 'a b@example.com', `${'a'.repeat(250)}@example.com`])('refuses %s', (email) => {
    expect(emailError(email)).toBe('validation.email');
  });

  it('normalises by trimming and lower-casing', () => {
    expect(normaliseEmail('  Alice@Example.COM ')).toBe('alice@example.com');
  });
});

describe('passwords', () => {
  it('requires a password', () => {
    const errors: FieldErrors = {};
    checkPassword('', errors);
    expect(errors.password?.key).toBe('validation.required');
  });

  it('enforces the length range and reports it', () => {
    const short: FieldErrors = {};
    checkPassword('x'.repeat(PASSWORD_MIN - 1), short);
    expect(short.password).toEqual({ key: 'validation.passwordLength', params: { min: PASSWORD_MIN, max: PASSWORD_MAX } });
    const long: FieldErrors = {};
    checkPassword('x'.repeat(PASSWORD_MAX + 1), long);
    expect(long.password?.key).toBe('validation.passwordLength');
    const ok: FieldErrors = {};
    checkPassword('x'.repeat(PASSWORD_MIN), ok);
    expect(ok).toEqual({});
  });

  it('reports under the given field name', () => {
    const errors: FieldErrors = {};
    checkPassword('short', errors, 'newPassword');
    expect(Object.keys(errors)).toEqual(['newPassword']);
  });
});
