import { describe, expect, it } from 'vitest';
import { checkUsername } from '../../src/domain/account-rules.js';
import type { FieldErrors } from '../../src/domain/errors.js';
import { parseDumpDate, parseDumpTags, siteUrlFromDir } from '../../src/services/import/stackexchange-importer.js';
import { formatSummary } from '../../src/services/import/progress.js';
import { deriveUsername, suffixedUsername } from '../../src/services/import/usernames.js';

/* The small rules of the Stack Exchange importer: usernames, dates, tags, site URLs, the summary. */

const valid = (u: string) => {
  const errors: FieldErrors = {};
  checkUsername(u, errors);
  return Object.keys(errors).length === 0;
};

describe('usernames derived from dump display names', () => {
  it.each([
    ['Bjørn Kjos-Hanssen', '1', 'Bjorn_Kjos-Hanssen'],
    ['Nguyễn Phong Gia Huy', '2', 'Nguyen_Phong_Gia_Huy'],
    ['이호준', '3', '이호준'],
    ['mu 無', '4', 'mu_無'],
    ['陈 小明', '5', '陈_小明'],
    ['рüффп', '87', 'user87'],
    ['a', '9', 'user9'],
    ['Admin', '10', 'user10'],
    ['  Jo  Lee!! ', '11', 'Jo_Lee'],
  ])('%s -> %s', (name, id, expected) => {
    const u = deriveUsername(name, id);
    expect(u).toBe(expected.normalize('NFC'));
    expect(valid(u)).toBe(true);
  });

  it('never mixes Latin with look-alike scripts and always fits the length rule', () => {
    const u = deriveUsername('Аlice Сooper Ρaul', '12');
    expect(u).not.toMatch(/[\u0400-\u04ff\u0370-\u03ff]/);
    const long = deriveUsername('x'.repeat(80), '13');
    expect(Array.from(long)).toHaveLength(30);
    expect(Array.from(suffixedUsername(long, 12))).toHaveLength(30);
    expect(suffixedUsername('sam', 2)).toBe('sam_2');
    expect(valid(suffixedUsername(long, 12))).toBe(true);
  });
});

describe('dump fields', () => {
  it('reads dates as UTC', () => {
    expect(parseDumpDate('2018-03-12T17:00:45.567')).toBe(Date.UTC(2018, 2, 12, 17, 0, 45, 567));
    expect(parseDumpDate('2018-03-12T17:00:45Z')).toBe(Date.UTC(2018, 2, 12, 17, 0, 45));
    expect(parseDumpDate('yesterday')).toBeNull();
    expect(parseDumpDate(undefined)).toBeNull();
  });

  it('reads both tag formats, normalised, at most five', () => {
    expect(parseDumpTags('<quantum-gate><Qiskit>')).toEqual(['quantum-gate', 'qiskit']);
    expect(parseDumpTags('|entanglement|bell-basis|')).toEqual(['entanglement', 'bell-basis']);
    expect(parseDumpTags('<a><b><c><d><e><f>')).toHaveLength(5);
    expect(parseDumpTags(undefined)).toEqual([]);
  });

  it('tells the original site from the dump directory name', () => {
    expect(siteUrlFromDir('/data/quantumcomputing.stackexchange')).toBe('https://quantumcomputing.stackexchange.com');
    expect(siteUrlFromDir('/data/stackoverflow.com')).toBe('https://stackoverflow.com');
    expect(siteUrlFromDir('/data/my-dump')).toBeNull();
  });
});

describe('the summary', () => {
  it('lists per file what was imported, skipped and refused, with reasons, and names missing files', () => {
    const text = formatSummary({
      elapsedMs: 1500,
      votesCreated: 7,
      duplicates: { closed: 3, alreadyClosed: 1, refused: new Map([['an end is not a live question (an answer, or deleted)', 2]]) },
      files: [
        { file: 'Posts.xml', present: true, rows: 10, imported: 6, skipped: 2, refused: new Map([['post type 4 is not a question or answer', 2]]), elapsedMs: 1000 },
        { file: 'Votes.xml', present: false, rows: 0, imported: 0, skipped: 0, refused: new Map(), elapsedMs: 0 },
      ],
    });
    expect(text).toContain('Posts.xml: 10 rows, 6 imported, 2 already imported, 2 not imported');
    expect(text).toContain('2 × post type 4 is not a question or answer');
    expect(text).toContain('Votes.xml: not in the dump, skipped');
    expect(text).toContain('7 vote rows written');
    expect(text).toContain('Duplicate links: 3 questions closed as duplicates of their originals, 1 already closed, 2 could not be closed');
    expect(text).toContain('2 × an end is not a live question (an answer, or deleted)');
  });
});
