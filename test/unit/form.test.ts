import { describe, expect, it } from 'vitest';
import { BadInputError, formFields, pageNumber, queryString, safeRedirectPath, wantsJson } from '../../src/http/form.js';
import { HOSTILE_REDIRECT_TARGETS, LOCAL_REDIRECT_TARGETS } from '../fixtures/redirect-targets.js';

describe('formFields', () => {
  it('returns the named fields as strings, missing ones as empty', () => {
    expect(formFields({ a: 'x', b: '', extra: 'ignored' }, ['a', 'b', 'c'] as const)).toEqual({ a: 'x', b: '', c: '' });
  });

  it('treats a missing body as all-empty', () => {
    expect(formFields(undefined, ['a'] as const)).toEqual({ a: '' });
    expect(formFields(null, ['a'] as const)).toEqual({ a: '' });
  });

  it.each([
    ['an operator object', { username: { $gt: '' } }],
    ['an array (repeated field)', { username: ['a', 'b'] }],
    ['a number', { username: 5 }],
    ['a boolean', { username: true }],
  ])('refuses %s where a string belongs', (_label, body) => {
    expect(() => formFields(body, ['username'] as const)).toThrow(BadInputError);
  });

  it('refuses a body that is not an object', () => {
    expect(() => formFields('username=x', ['username'] as const)).toThrow(BadInputError);
    expect(() => formFields([{ username: 'x' }], ['username'] as const)).toThrow(BadInputError);
  });

  it('does not read inherited properties', () => {
    expect(formFields({}, ['toString', 'constructor'] as const)).toEqual({ toString: '', constructor: '' });
    const polluted = JSON.parse('{"__proto__": {"username": "x"}}') as unknown;
    expect(formFields(polluted, ['username'] as const)).toEqual({ username: '' });
  });

  it('BadInputError is a 400', () => {
    expect(new BadInputError().status).toBe(400);
  });
});

describe('queryString', () => {
  it('returns a single string value only', () => {
    expect(queryString({ q: 'x' }, 'q')).toBe('x');
    expect(queryString({ q: ['x', 'y'] }, 'q')).toBeUndefined();
    expect(queryString({ q: { a: 1 } }, 'q')).toBeUndefined();
    expect(queryString(undefined, 'q')).toBeUndefined();
  });
});

describe('pageNumber', () => {
  it.each([
    [undefined, 1],
    ['', 1],
    ['1', 1],
    ['3', 3],
    ['0', 1],
    ['-2', 1],
    ['2.5', 1],
    ['1e3', 1],
    ['abc', 1],
    ['10000', 10000],
    ['10001', 1],
    ['99999999', 1],
  ] as const)('%j -> %d', (raw, expected) => {
    expect(pageNumber(raw)).toBe(expected);
  });

  it('respects a custom maximum', () => {
    expect(pageNumber('6', 5)).toBe(1);
    expect(pageNumber('5', 5)).toBe(5);
  });
});

describe('safeRedirectPath', () => {
  it.each(['/', '/c/coffee', '/c/coffee?sort=top&page=2', '/u/alice#answers'])('keeps the local path %s', (path) => {
    expect(safeRedirectPath(path)).toBe(path);
  });

  it.each([
    undefined,
    '',
    'https://evil.example',
    'http://evil.example/path',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'c/relative',
    // browsers drop tabs and newlines, which would turn these into //evil.example
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    `/${'a'.repeat(2001)}`,
  ])('refuses %j and falls back to /', (raw) => {
    expect(safeRedirectPath(raw)).toBe('/');
  });

  it.each(HOSTILE_REDIRECT_TARGETS)('refuses %j, which a browser would resolve to another origin or a script', (raw) => {
    expect(safeRedirectPath(raw)).toBe('/');
    expect(safeRedirectPath(raw, '/search')).toBe('/search');
  });

  it.each(LOCAL_REDIRECT_TARGETS)('resolves the local target %j to %j', (raw, expected) => {
    expect(safeRedirectPath(raw)).toBe(expected);
  });

  it('never returns anything that a browser resolves to another origin', () => {
    for (const raw of [...HOSTILE_REDIRECT_TARGETS, ...LOCAL_REDIRECT_TARGETS.map(([r]) => r)]) {
      const out = safeRedirectPath(raw);
      expect(new URL(out, 'https://forum.example').origin, raw).toBe('https://forum.example');
      expect(out.startsWith('/') && !out.startsWith('//'), raw).toBe(true);
    }
  });

  it('uses the given fallback', () => {
    expect(safeRedirectPath('https://evil.example', '/login')).toBe('/login');
  });

  it('percent-encodes non-ASCII paths so the Location header stays valid', () => {
    expect(safeRedirectPath('/u/张伟')).toBe('/u/%E5%BC%A0%E4%BC%9F');
    expect(safeRedirectPath('/u/%E5%BC%A0%E4%BC%9F')).toBe('/u/%E5%BC%A0%E4%BC%9F');
  });
});

describe('wantsJson', () => {
  it('is true only when JSON is asked for and HTML is not', () => {
    expect(wantsJson('application/json')).toBe(true);
    expect(wantsJson('text/html,application/json')).toBe(false);
    expect(wantsJson('*/*')).toBe(false);
    expect(wantsJson(undefined)).toBe(false);
  });
});
